//! An analyst's Markdown made into HTML that can do nothing but be read. Raw HTML typed in the
//! text is shown as the text it is (escaped), not removed, so that nothing written is lost;
//! links keep only `http`, `https`, `mailto` and addresses on this site; images become their
//! alternative text. Headings are moved down under the section's own `h2`, so that the page's
//! outline stays whole (an analyst's `#` becomes an `h3`).

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};

fn safe_url(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    if u.starts_with("//") {
        return false;
    }
    if u.starts_with('/') || u.starts_with('#') {
        return true;
    }
    u.starts_with("https://") || u.starts_with("http://") || u.starts_with("mailto:")
}

fn lower(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// The HTML of a section's body.
pub fn render(md: &str) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let mut events: Vec<Event<'_>> = Vec::new();
    // Links dropped for their target are remembered so that their closing tags go too.
    let mut dropped_links: Vec<bool> = Vec::new();
    for ev in Parser::new_ext(md, opts) {
        match ev {
            Event::Html(s) | Event::InlineHtml(s) => events.push(Event::Text(s)),
            // The image's alternative text comes as the text events between these two.
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                // An e-mail autolink's target is the address, written `mailto:` by the renderer.
                let ok = matches!(link_type, LinkType::Email) || safe_url(&dest_url);
                dropped_links.push(!ok);
                if ok {
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link) => {
                if !dropped_links.pop().unwrap_or(true) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => events.push(Event::Start(Tag::Heading {
                level: lower(level),
                id,
                classes,
                attrs,
            })),
            Event::End(TagEnd::Heading(level)) => {
                events.push(Event::End(TagEnd::Heading(lower(level))))
            }
            other => events.push(other),
        }
    }
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out
}

/// The text alone, for places that show no markup (an excerpt, the PDF's outline).
pub fn plain(md: &str) -> String {
    let mut out = String::new();
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Heading(_))
            | Event::End(TagEnd::Item) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_and_scripts_are_shown_as_text() {
        let html = render(
            "Avant <script>alert(1)</script> après\n\n<img src=x onerror=alert(1)>\n\n<iframe src=\"https://evil\"></iframe>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<iframe"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("Avant") && html.contains("après"), "{html}");
    }

    #[test]
    fn dangerous_links_lose_their_target_but_keep_their_words() {
        let html = render(
            "[clic](javascript:alert(1)) [data](data:text/html,x) [ok](https://nantes.fr) \
             [ici](/contributions/3) [proto](//evil.example) <mailto:a@b.fr>",
        );
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(!html.contains("//evil"), "{html}");
        assert!(html.contains("clic") && html.contains("data") && html.contains("proto"));
        assert!(html.contains("href=\"https://nantes.fr\""), "{html}");
        assert!(html.contains("href=\"/contributions/3\""), "{html}");
        assert!(html.contains("href=\"mailto:a@b.fr\""), "{html}");
    }

    #[test]
    fn images_become_their_alternative_text_and_headings_move_down() {
        let html = render("# Titre\n\n## Sous-titre\n\n![un plan du quartier](https://x/p.png)");
        assert!(html.contains("<h3>Titre</h3>"), "{html}");
        assert!(html.contains("<h4>Sous-titre</h4>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("un plan du quartier"), "{html}");
        assert!(!html.contains("<h1") && !html.contains("<h2"), "{html}");
    }

    #[test]
    fn emphasis_lists_and_tables_survive() {
        let html =
            render("**gras** et *italique*\n\n- un\n- deux\n\n| a | b |\n|---|---|\n| 1 | 2 |");
        assert!(html.contains("<strong>gras</strong>"));
        assert!(html.contains("<em>italique</em>"));
        assert!(html.contains("<li>un</li>"));
        assert!(html.contains("<table>"));
    }

    #[test]
    fn plain_text_has_no_markup() {
        assert_eq!(plain("# Titre\n\n**gras** <b>x</b>"), "Titre gras <b>x</b>");
    }
}
