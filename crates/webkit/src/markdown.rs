//! Markdown written by administrators, rendered to HTML and sanitised: whatever is typed, no
//! script, event handler or foreign frame survives.

pub fn render(md: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(md, opts));
    // Images are uploaded on their own page (checked, with their alternative text); an `<img>`
    // typed into the text would point elsewhere, which the pages' policy blocks: a broken image.
    ammonia::Builder::default()
        .rm_tags(["img"])
        .link_rel(Some("noopener noreferrer"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .clean(&out)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_script_survives() {
        let html = render(
            "# Titre\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) **gras**",
        );
        assert!(html.contains("<h1>Titre</h1>"));
        assert!(html.contains("<strong>gras</strong>"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("onerror"));
        assert!(!html.contains("javascript:"));
    }

    #[test]
    fn typed_images_do_not_become_broken_images() {
        let html = render("Avant ![plan](https://ailleurs.example/plan.png) <img src=\"x\"> après");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("Avant") && html.contains("après"), "{html}");
    }
}
