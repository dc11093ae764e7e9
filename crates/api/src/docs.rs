//! The API's readable page (`/api/v1`), made from the OpenAPI document itself, so that it can
//! never disagree with it, and served by the binary (no script, no CDN).

use utoipa::openapi::OpenApi;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn page(api: &OpenApi) -> String {
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Concorde API v1</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#1b1b1b}\
         code{background:#f2f2f2;padding:0 .2em}h2{margin-top:2rem;border-top:1px solid #ccc;padding-top:1rem}\
         .m{display:inline-block;min-width:4.5em;font-weight:bold}</style></head><body><main>",
    );
    html.push_str(&format!("<h1>{}</h1>", esc(&api.info.title)));
    if let Some(d) = &api.info.description {
        html.push_str(&format!("<p>{}</p>", esc(d)));
    }
    html.push_str(
        "<p>Base path <code>/api/v1</code>. The machine-readable description: \
         <a href=\"/api/v1/openapi.json\">openapi.json</a> (OpenAPI 3.1). \
         Send a token as <code>Authorization: Bearer cc_…</code>.</p>",
    );
    for (path, item) in &api.paths.paths {
        let ops = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("DELETE", &item.delete),
            ("PATCH", &item.patch),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            html.push_str(&format!(
                "<h2><span class=\"m\">{method}</span> <code>{}</code></h2>",
                esc(path)
            ));
            if let Some(s) = &op.summary {
                html.push_str(&format!("<p>{}</p>", esc(s)));
            }
            if let Some(params) = &op.parameters
                && !params.is_empty()
            {
                html.push_str("<p>Parameters:</p><ul>");
                for p in params {
                    let utoipa::openapi::RefOr::T(p) = p else {
                        continue;
                    };
                    let desc = p.description.as_deref().unwrap_or("");
                    html.push_str(&format!(
                        "<li><code>{}</code> — {}</li>",
                        esc(&p.name),
                        esc(desc)
                    ));
                }
                html.push_str("</ul>");
            }
            let codes: Vec<String> = op.responses.responses.keys().cloned().collect();
            html.push_str(&format!("<p>Answers: {}</p>", esc(&codes.join(", "))));
        }
    }
    html.push_str("</main></body></html>");
    html
}
