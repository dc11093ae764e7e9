//! What analysts type: a section (kind, title, Markdown text) and a citation's excerpt, checked
//! here so that the page can say what is wrong next to the field and keep what was typed.

use crate::model::SectionKind;
use domain::FieldErrors;

pub const MAX_SECTION_TITLE: usize = 200;
pub const MAX_SECTION_BODY: usize = 50_000;
pub const MAX_EXCERPT: usize = 2_000;
pub const MAX_REASON: usize = 1_000;

/// A section form as typed.
#[derive(Debug, Clone, Default)]
pub struct SectionDraft {
    pub kind: String,
    pub title: String,
    pub body: String,
}

/// A section form, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionInput {
    pub kind: SectionKind,
    pub title: String,
    pub body: String,
}

impl SectionDraft {
    pub fn validate(&self) -> Result<SectionInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let kind = SectionKind::parse(&self.kind);
        if kind.is_none() {
            e.add("kind", "report-error-kind");
        }
        let title = self.title.trim();
        if title.is_empty() {
            e.add("title", "report-error-title-empty");
        } else if title.chars().count() > MAX_SECTION_TITLE {
            e.add("title", "report-error-title-long");
        }
        // Bodies keep their line breaks (Markdown); only the ends are trimmed.
        let body = self.body.trim();
        if body.chars().count() > MAX_SECTION_BODY {
            e.add("body", "report-error-body-long");
        }
        match kind {
            Some(kind) if e.is_empty() => Ok(SectionInput {
                kind,
                title: title.to_string(),
                body: body.replace("\r\n", "\n"),
            }),
            _ => Err(e),
        }
    }
}

/// A contribution citation as typed: the excerpt the analyst chose.
#[derive(Debug, Clone, Default)]
pub struct CitationDraft {
    pub excerpt: String,
}

impl CitationDraft {
    /// The excerpt, checked against the contribution's text: a quotation must be found in what
    /// the person wrote (spacing and case aside), or the report would put words in their mouth.
    /// An empty excerpt quotes the beginning of the text.
    pub fn excerpt(&self, text: &str) -> Result<String, FieldErrors> {
        let mut e = FieldErrors::default();
        let typed = squash(&self.excerpt);
        if typed.is_empty() {
            return Ok(opening(text));
        }
        if typed.chars().count() > MAX_EXCERPT {
            e.add("excerpt", "report-error-excerpt-long");
            return Err(e);
        }
        if !excerpt_in_text(&typed, text) {
            e.add("excerpt", "report-error-excerpt-not-in-text");
            return Err(e);
        }
        Ok(typed)
    }
}

/// Runs of white space as one space, ends trimmed.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `excerpt` appears in `text`, ignoring case, spacing and the ellipses an analyst puts
/// where they cut ("…" or "..." separate pieces that must appear in order).
pub fn excerpt_in_text(excerpt: &str, text: &str) -> bool {
    let hay = squash(text).to_lowercase();
    let normalised = excerpt.replace("...", "…").replace("[…]", "…");
    let mut from = 0;
    let mut any = false;
    for piece in normalised.split('…') {
        let p = squash(piece).to_lowercase();
        if p.is_empty() {
            continue;
        }
        any = true;
        match hay[from..].find(&p) {
            Some(i) => from += i + p.len(),
            None => return false,
        }
    }
    any
}

/// The first 280 characters of a text, cut at a word, as the default excerpt.
fn opening(text: &str) -> String {
    let t = squash(text);
    if t.chars().count() <= 280 {
        return t;
    }
    let cut: String = t.chars().take(280).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

/// The reason an analyst gives for "read, not retained".
pub fn reason(s: &str) -> Result<String, &'static str> {
    let t = squash(s);
    if t.is_empty() {
        Err("report-error-reason-empty")
    } else if t.chars().count() > MAX_REASON {
        Err("report-error-reason-long")
    } else {
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_say_what_is_wrong() {
        let bad = SectionDraft {
            kind: "conclusion".into(),
            title: "   ".into(),
            body: "x".repeat(MAX_SECTION_BODY + 1),
        };
        let e = bad.validate().expect_err("invalid");
        assert_eq!(e.get("kind"), Some("report-error-kind"));
        assert_eq!(e.get("title"), Some("report-error-title-empty"));
        assert_eq!(e.get("body"), Some("report-error-body-long"));
        let ok = SectionDraft {
            kind: "finding".into(),
            title: "  L'isolement  ".into(),
            body: "Ligne 1\r\nLigne 2\n".into(),
        }
        .validate()
        .expect("valid");
        assert_eq!(ok.title, "L'isolement");
        assert_eq!(ok.body, "Ligne 1\nLigne 2");
        assert_eq!(ok.kind, SectionKind::Finding);
    }

    #[test]
    fn excerpts_must_come_from_the_text() {
        let text =
            "Je vis seule depuis   deux ans.\nLe dimanche, personne ne passe. Le lundi non plus.";
        let d = |s: &str| CitationDraft { excerpt: s.into() };
        assert_eq!(
            d("le dimanche,  PERSONNE ne passe")
                .excerpt(text)
                .expect("found"),
            "le dimanche, PERSONNE ne passe"
        );
        assert!(
            d("seule depuis deux ans … personne ne passe")
                .excerpt(text)
                .is_ok()
        );
        assert!(
            d("seule depuis deux ans [...] personne")
                .excerpt(text)
                .is_ok()
        );
        // Pieces out of order, or words never written, are refused.
        let e = d("personne ne passe … seule")
            .excerpt(text)
            .expect_err("order");
        assert_eq!(e.get("excerpt"), Some("report-error-excerpt-not-in-text"));
        assert!(d("tout va bien").excerpt(text).is_err());
        assert!(d("…").excerpt(text).is_err());
        assert_eq!(d("  ").excerpt(text).expect("default"), squash(text));
        let long = "mot ".repeat(200);
        assert!(d("").excerpt(&long).expect("cut").ends_with('…'));
        assert_eq!(
            d(&"x".repeat(MAX_EXCERPT + 1))
                .excerpt("x")
                .unwrap_err()
                .get("excerpt"),
            Some("report-error-excerpt-long")
        );
    }

    #[test]
    fn reasons_are_required() {
        assert_eq!(reason("  "), Err("report-error-reason-empty"));
        assert_eq!(reason(" hors sujet "), Ok("hors sujet".into()));
        assert_eq!(
            reason(&"a".repeat(MAX_REASON + 1)),
            Err("report-error-reason-long")
        );
    }
}
