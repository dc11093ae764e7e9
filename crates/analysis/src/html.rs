//! A standalone French HTML summary of an analysis: no JavaScript, no external resource, every
//! text escaped, small inline SVG bar charts with a text alternative and a data table.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::model::{Analysis, DuplicateKind, Theme};

/// Escape text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn pct(part: usize, total: usize) -> String {
    if total == 0 {
        return "0 %".into();
    }
    format!("{:.1} %", part as f64 * 100.0 / total as f64).replace('.', ",")
}

fn num(n: usize) -> String {
    // French thousands separator (narrow no-break space).
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{202F}');
        }
        out.push(c);
    }
    out
}

const CSS: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem;\
line-height:1.5;color:#1a1a1a;background:#fff}h1,h2,h3{line-height:1.2}\
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #bbb;padding:.2rem .5rem;\
text-align:left}td.n{text-align:right}section.theme{border-top:2px solid #1d4e89;margin-top:2rem}\
.kp{color:#1d4e89;font-weight:600}blockquote{border-left:4px solid #bbb;margin:.5rem 0;\
padding:.2rem .8rem;color:#333}svg{display:block;max-width:100%}\
details{margin:.5rem 0}.muted{color:#555}";

/// Render the summary page.
pub fn render_html(a: &Analysis) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let total = a.stats.documents;
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>Synthèse des contributions</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n\
<h1>Synthèse des contributions</h1>\n"
    );
    let _ = writeln!(
        h,
        "<p>{} contributions analysées, {} textes distincts, {} voix indépendantes une fois les \
quasi-doublons regroupés. {} thèmes ; {} contributions hors thème (dont {} sans mot \
significatif).</p>",
        num(total),
        num(a.stats.distinct_texts),
        num(a.stats.voices),
        a.themes.len(),
        num(a.outliers.count),
        num(a.outliers.empty)
    );
    if let Some(e) = &a.evaluation {
        let _ = writeln!(
            h,
            "<p>Accord avec les étiquettes fournies ({} étiquettes, {} contributions) : \
NMI {:.3}, ARI {:.3}.</p>",
            e.labels,
            num(e.labelled_documents),
            e.nmi,
            e.ari
        );
    }

    // Overview table.
    h.push_str("<h2>Vue d’ensemble des thèmes</h2>\n<table>\n<caption>Thèmes par nombre de contributions</caption>\n<thead><tr><th scope=\"col\">Thème</th><th scope=\"col\">Contributions</th><th scope=\"col\">Part</th><th scope=\"col\">Mots-clés</th></tr></thead>\n<tbody>\n");
    for t in &a.themes {
        let kp: Vec<&str> = t.keyphrases.iter().map(|k| k.text.as_str()).collect();
        let _ = writeln!(
            h,
            "<tr><td><a href=\"#theme-{}\">{}</a></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            t.id,
            escape(&t.label),
            num(t.size),
            pct(t.size, total),
            escape(&kp.join(", "))
        );
    }
    h.push_str("</tbody>\n</table>\n");
    let bars: Vec<(String, usize)> = a.themes.iter().map(|t| (t.label.clone(), t.size)).collect();
    h.push_str(&bar_chart("Contributions par thème", &bars));

    for t in &a.themes {
        theme_section(&mut h, t, total);
    }

    // Campaigns and duplicates.
    let campaigns: Vec<_> = a.duplicates.iter().filter(|g| g.campaign).collect();
    h.push_str("<h2>Doublons et campagnes</h2>\n");
    let _ = writeln!(
        h,
        "<p>{} groupes de doublons exacts, {} groupes de quasi-doublons, dont {} campagnes \
(copier-coller d’un même texte substantiel).</p>",
        a.duplicates
            .iter()
            .filter(|g| g.kind == DuplicateKind::Exact)
            .count(),
        a.duplicates
            .iter()
            .filter(|g| g.kind == DuplicateKind::Near)
            .count(),
        campaigns.len()
    );
    if !campaigns.is_empty() {
        h.push_str("<table>\n<caption>Campagnes les plus importantes</caption>\n<thead><tr><th scope=\"col\">Type</th><th scope=\"col\">Contributions</th><th scope=\"col\">Texte</th></tr></thead>\n<tbody>\n");
        for g in campaigns.iter().take(20) {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                match g.kind {
                    DuplicateKind::Exact => "identiques",
                    DuplicateKind::Near => "quasi identiques",
                },
                num(g.size),
                escape(&g.excerpt)
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }

    // Method.
    let _ = write!(
        h,
        "<h2>Méthode</h2>\n<p class=\"muted\">Moteur {} {} ; graine {} ; thèmes entre {} et {} \
(choix automatique par silhouette) ; vocabulaire de {} termes (mots racinisés et expressions de \
deux mots, présents dans au moins {} textes). Le même fichier d’entrée et les mêmes réglages \
donnent exactement le même résultat.</p>\n",
        escape(&a.engine.name),
        escape(&a.engine.version),
        a.settings.seed,
        a.settings.min_themes,
        a.settings.max_themes,
        num(a.stats.vocabulary),
        a.stats.min_df
    );
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

fn theme_section(h: &mut String, t: &Theme, total: usize) {
    let _ = write!(
        h,
        "<section class=\"theme\" id=\"theme-{}\" aria-labelledby=\"theme-{}-title\">\n\
<h2 id=\"theme-{}-title\">{}. {}</h2>\n<p>{} contributions ({}), {} textes distincts, cohésion {:.2}.</p>\n",
        t.id,
        t.id,
        t.id,
        t.id + 1,
        escape(&t.label),
        num(t.size),
        pct(t.size, total),
        num(t.distinct_texts),
        t.cohesion
    );
    if !t.keyphrases.is_empty() {
        h.push_str("<p>Mots-clés : ");
        let kp: Vec<String> = t
            .keyphrases
            .iter()
            .map(|k| format!("<span class=\"kp\">{}</span>", escape(&k.text)))
            .collect();
        h.push_str(&kp.join(", "));
        h.push_str("</p>\n");
    }
    if !t.excerpts.is_empty() {
        h.push_str("<h3>Contributions représentatives</h3>\n");
        for (id, e) in t.representatives.iter().zip(&t.excerpts).take(3) {
            let _ = writeln!(
                h,
                "<blockquote><p>{}</p><footer class=\"muted\">n° {}</footer></blockquote>",
                escape(&crate::util::excerpt(e, 200)),
                escape(id)
            );
        }
    }
    if !t.subthemes.is_empty() {
        h.push_str("<h3>Sous-thèmes</h3>\n<ul>\n");
        for s in &t.subthemes {
            let _ = writeln!(
                h,
                "<li>{} — {} contributions</li>",
                escape(&s.label),
                num(s.size)
            );
        }
        h.push_str("</ul>\n");
    }
    for (name, map) in [
        ("question", &t.breakdown.question),
        ("catégorie", &t.breakdown.category),
        ("quartier", &t.breakdown.quartier),
        ("canal", &t.breakdown.channel),
    ] {
        if map.is_empty() {
            continue;
        }
        breakdown(h, &format!("Répartition par {name}"), map);
    }
    h.push_str("</section>\n");
}

fn breakdown(h: &mut String, title: &str, map: &BTreeMap<String, usize>) {
    let mut rows: Vec<(&String, &usize)> = map.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    // Table only, six largest values, long values cut: the page stays light with many themes.
    let _ = writeln!(h, "<details>\n<summary>{}</summary>", escape(title));
    let _ = writeln!(
        h,
        "<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">Valeur</th><th scope=\"col\">Contributions</th></tr></thead>\n<tbody>",
        escape(title)
    );
    for (k, v) in rows.iter().take(6) {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
            escape(&crate::util::excerpt(k, 90)),
            num(**v)
        );
    }
    h.push_str("</tbody>\n</table>\n</details>\n");
}

/// Horizontal bar chart; the SVG is described for screen readers and duplicated by a table.
fn bar_chart(title: &str, bars: &[(String, usize)]) -> String {
    if bars.is_empty() {
        return String::new();
    }
    let max = bars.iter().map(|b| b.1).max().unwrap_or(1).max(1);
    let row_h = 22;
    let height = bars.len() * row_h + 4;
    let mut s = format!(
        "<svg role=\"img\" aria-label=\"{}\" width=\"640\" height=\"{height}\" viewBox=\"0 0 640 {height}\" xmlns=\"http://www.w3.org/2000/svg\">\n<title>{}</title>\n",
        escape(title),
        escape(title)
    );
    for (i, (label, v)) in bars.iter().enumerate() {
        let y = i * row_h + 2;
        let w = (*v as f64 / max as f64 * 300.0).round().max(1.0);
        let short: String = if label.chars().count() > 38 {
            label.chars().take(37).collect::<String>() + "…"
        } else {
            label.clone()
        };
        let _ = writeln!(
            s,
            "<text x=\"0\" y=\"{}\" font-size=\"12\" fill=\"#1a1a1a\">{}</text><rect x=\"260\" y=\"{}\" width=\"{w}\" height=\"16\" fill=\"#1d4e89\"/><text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#1a1a1a\">{}</text>",
            y + 13,
            escape(&short),
            y,
            265.0 + w,
            y + 13,
            num(*v)
        );
    }
    s.push_str("</svg>\n");
    s
}
