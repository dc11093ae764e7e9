//! Decidim's rich-text bodies (HTML from its editor) as plain text: paragraphs and line breaks
//! kept, other tags dropped, scripts and styles dropped with their content, entities decoded.

/// Decidim stores bodies as HTML from its rich-text editor: paragraphs and line breaks become
/// line breaks, other tags go, the common entities are decoded. Plain text passes unchanged.
pub fn html_to_text(s: &str) -> String {
    if !s.contains('<') && !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let is_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match after.find('>') {
            Some(end) if is_tag => {
                let name: String = after[..end]
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                // Scripts and styles are code, not text: dropped with their content.
                if (name == "script" || name == "style") && !after.starts_with('/') {
                    let close = format!("</{name}");
                    let lower = after.to_ascii_lowercase();
                    rest = match lower.find(&close) {
                        Some(i) => match after[i..].find('>') {
                            Some(j) => &after[i + j + 1..],
                            None => "",
                        },
                        None => "",
                    };
                    continue;
                }
                if matches!(
                    name.as_str(),
                    "br" | "p"
                        | "div"
                        | "li"
                        | "ul"
                        | "ol"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "blockquote"
                ) {
                    out.push('\n');
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let decoded = decode_entities(&out);
    // At most one empty line between paragraphs.
    let mut text = String::with_capacity(decoded.len());
    let mut newlines = 0;
    for c in decoded.trim().chars() {
        if c == '\n' {
            newlines += 1;
            if newlines <= 2 {
                text.push(c);
            }
        } else {
            newlines = 0;
            text.push(c);
        }
    }
    text
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let decoded = after.find(';').filter(|&e| e <= 10).and_then(|end| {
            let name = &after[..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => match name.strip_prefix('#') {
                    Some(hex) if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16)
                        .ok()
                        .and_then(char::from_u32),
                    Some(dec) => dec.parse().ok().and_then(char::from_u32),
                    None => None,
                },
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decidim_bodies_lose_their_html() {
        assert_eq!(
            html_to_text("<p>Plus de bus&nbsp;!</p><p>Le soir &amp; le week-end.<br>Merci</p>"),
            "Plus de bus !\n\nLe soir & le week-end.\nMerci"
        );
        assert_eq!(html_to_text("3 < 4 & 5 > 2"), "3 < 4 & 5 > 2");
        assert_eq!(html_to_text("l&#39;école &#x2014; oui"), "l'école — oui");
        assert_eq!(
            html_to_text("<p>Oui</p><script>alert('x')</script><STYLE>p{}</STYLE><p>Non</p>"),
            "Oui\n\nNon"
        );
    }
}
