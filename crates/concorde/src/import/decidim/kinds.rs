//! Which Decidim export a file is, told by its columns (file names vary with the instance and
//! the language), and the columns each kind needs. A file of another version, whose columns
//! were renamed, gets a message naming the columns expected and those found.

use super::table::Table;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Debates,
    Proposals,
    Comments,
    Meetings,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Proposals => "proposals",
            Kind::Comments => "comments",
            Kind::Debates => "debates",
            Kind::Meetings => "meetings",
        }
    }

    /// The columns a file of this kind must have; `x*` means `x` or `x/LANG`.
    fn required(self) -> &'static [&'static str] {
        match self {
            Kind::Proposals => &["id", "title*", "body*"],
            Kind::Comments => &[
                "id",
                "body*",
                "commentable_id",
                "commentable_type",
                "created_at",
            ],
            Kind::Debates => &["id", "title*", "description*"],
            Kind::Meetings => &["id", "title*", "start_time"],
        }
    }

    /// Columns read when present.
    fn optional(self) -> &'static str {
        match self {
            Kind::Proposals => {
                "category/name/LANG or taxonomies/ids with taxonomies/ID/LANG, scope/name/LANG, \
                 state, withdrawn, votes or supports, answer/LANG, created_at or published_at, url, \
                 meeting_urls"
            }
            Kind::Comments => "depth, alignment, user_group/name, root_commentable_url",
            Kind::Debates => "created_at or start_time",
            Kind::Meetings => "(counted, not imported)",
        }
    }
}

fn has(names: &[String], key: &str) -> bool {
    match key.strip_suffix('*') {
        Some(base) => {
            let prefix = format!("{base}/");
            names
                .iter()
                .any(|n| n == base || (n.starts_with(&prefix) && !n[prefix.len()..].contains('/')))
        }
        None => names.iter().any(|n| n == key),
    }
}

/// The kind of export, or a message saying why none fits.
pub fn identify(table: &Table) -> Result<Kind, String> {
    let n = &table.names;
    let any = |keys: &[&str]| keys.iter().any(|k| has(n, k));
    let kind = if any(&["commentable_id", "commentable_type", "root_commentable_url"]) {
        Some(Kind::Comments)
    } else if any(&[
        "supports",
        "votes",
        "answer*",
        "is_amend",
        "meeting_urls",
        "endorsements/total_count",
        "likes/total_count",
    ]) {
        Some(Kind::Proposals)
    } else if any(&[
        "address",
        "location*",
        "type_of_meeting",
        "registration_type",
        "attendees_count",
        "attendees",
        "organizations",
        "closing_report*",
    ]) {
        Some(Kind::Meetings)
    } else if any(&[
        "instructions*",
        "information_updates*",
        "last_comment_at",
        "comments_enabled",
        "conclusions*",
    ]) {
        Some(Kind::Debates)
    } else {
        None
    };
    let found = if n.is_empty() {
        "none".to_string()
    } else {
        n.join(", ")
    };
    let Some(kind) = kind else {
        let expected: Vec<String> = [Kind::Proposals, Kind::Comments, Kind::Debates]
            .iter()
            .map(|k| format!("{}: {}", k.name(), k.required().join(", ")))
            .collect();
        return Err(format!(
            "{}: not a Decidim export this version reads (expected columns, {}; `x*` means x or \
             x/LANG); columns found: {found}",
            table.file_name(),
            expected.join("; ")
        ));
    };
    let missing: Vec<&str> = kind
        .required()
        .iter()
        .copied()
        .filter(|k| !has(n, k))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "{}: a Decidim {} export of a version this one does not read: missing column{} {} \
             (expected {}, and when present {}; `x*` means x or x/LANG); columns found: {found}",
            table.file_name(),
            kind.name(),
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            kind.required().join(", "),
            kind.optional()
        ));
    }
    Ok(kind)
}

/// A few words on the version of the format, for the summary.
pub fn version_note(kind: Kind, table: &Table) -> &'static str {
    let translated = table.names.iter().any(|n| n.starts_with("title/"));
    match kind {
        Kind::Proposals if has(&table.names, "taxonomies/ids") => {
            "title/LANG, taxonomies instead of categories (Decidim 0.30 and later)"
        }
        Kind::Proposals if has(&table.names, "withdrawn") => {
            "title/LANG, state and withdrawn (Decidim 0.27 and later)"
        }
        Kind::Proposals if translated => {
            "title/LANG, withdrawal in the state (before Decidim 0.27)"
        }
        Kind::Proposals => "plain title and body (Decidim 0.23 era)",
        Kind::Comments if table.names.iter().any(|n| n.starts_with("body/")) => "body/LANG",
        Kind::Comments => "plain body",
        Kind::Debates | Kind::Meetings if translated => "title/LANG",
        Kind::Debates | Kind::Meetings => "plain title",
    }
}
