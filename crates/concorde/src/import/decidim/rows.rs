//! Reading one record of a Decidim debates or comments export into what the import needs:
//! the translated fields in the instance's language, the HTML made text, the thread a comment
//! belongs to.

use super::*;

fn field(row: &table::Row, cols: &[usize]) -> Option<String> {
    cols.iter().find_map(|&i| {
        let v = row.get(i)?.trim();
        (!v.is_empty()).then(|| v.to_string())
    })
}

fn column(table: &Table, keys: &[&str]) -> Vec<usize> {
    crate::import::read::first_of(&table.names, keys)
}

pub(super) fn debate_row(table: &Table, row: &table::Row, lang: &str) -> Result<Debate, String> {
    let id = field(row, &column(table, &["id"])).ok_or("missing id")?;
    let title = field(row, &translated(&table.names, "title", lang))
        .map(|t| html_to_text(&t))
        .ok_or("missing title")?;
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = title.chars().count();
    if n > domain::validate::MAX_TITLE {
        return Err(format!(
            "title too long for a question: {n} characters (at most {})",
            domain::validate::MAX_TITLE
        ));
    }
    let help = field(row, &translated(&table.names, "description", lang))
        .map(|d| html_to_text(&d))
        .unwrap_or_default();
    Ok(Debate {
        decidim_id: id,
        title,
        help,
    })
}

/// The type of a Decidim resource, as `commentable_type` writes it.
fn target(kind: &str, id: String) -> Target {
    match kind.rsplit("::").next().unwrap_or("") {
        "Proposal" => Target::Proposal(id),
        "Debate" => Target::Debate(id),
        "Comment" => Target::Comment(id),
        _ => Target::Other(kind.to_string()),
    }
}

/// The proposal or debate a `root_commentable_url` points at (`…/proposals/12`, `…/debates/3`).
fn root_from_url(url: &str) -> Option<Target> {
    let path = url.split(['?', '#']).next()?.trim_end_matches('/');
    let mut parts = path.rsplit('/');
    let id = parts.next()?.to_string();
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match parts.next()? {
        "proposals" => Some(Target::Proposal(id)),
        "debates" => Some(Target::Debate(id)),
        _ => None,
    }
}

pub(super) fn comment_row(
    table: &Table,
    row: &table::Row,
    lang: &str,
    rules: &Rules,
) -> Result<Comment, String> {
    let get = |keys: &[&str]| field(row, &column(table, keys));
    let id = get(&["id"]).ok_or("missing id")?;
    let body = field(row, &translated(&table.names, "body", lang))
        .map(|b| html_to_text(&b).replace("\r\n", "\n"))
        .filter(|b| !b.trim().is_empty())
        .ok_or("missing body")?;
    let max = 10 * rules.max_body;
    let len = body.chars().count();
    if len > max {
        return Err(format!("body too long: {len} characters (at most {max})"));
    }
    let commentable_id = get(&["commentable_id"]).ok_or("missing commentable_id")?;
    let commentable_type = get(&["commentable_type"]).ok_or("missing commentable_type")?;
    let target = target(&commentable_type, commentable_id);
    let alignment = match get(&["alignment"]).as_deref() {
        None | Some("0") => "neutral",
        Some("1") => "for",
        Some("-1") => "against",
        Some(other) => return Err(format!("alignment {other:?} is not 1, 0 or -1")),
    };
    let created_at = match get(&["created_at"]) {
        None => rules.now,
        Some(s) => {
            let t = check::parse_time(&s, &rules.time_zone)
                .ok_or_else(|| format!("created_at {s:?} is not a date"))?;
            if t > rules.latest {
                return Err(format!("created_at {s:?} is in the future"));
            }
            t
        }
    };
    let group_name =
        field(row, &translated(&table.names, "user_group/name", lang)).unwrap_or_default();
    if group_name.chars().count() > 200 {
        return Err("user group name too long (at most 200 characters)".into());
    }
    Ok(Comment {
        file: table.file_name(),
        line: row.line,
        decidim_id: id,
        target,
        root_hint: get(&["root_commentable_url"]).and_then(|u| root_from_url(&u)),
        body,
        alignment,
        group_name,
        created_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_are_read_from_urls() {
        assert_eq!(
            root_from_url("https://d.example.org/processes/p/f/12/proposals/101"),
            Some(Target::Proposal("101".into()))
        );
        assert_eq!(
            root_from_url("https://d.example.org/processes/p/f/13/debates/7/"),
            Some(Target::Debate("7".into()))
        );
        assert_eq!(root_from_url("https://d.example.org/processes/p"), None);
        assert_eq!(
            target("Decidim::Comments::Comment", "5".into()),
            Target::Comment("5".into())
        );
        assert_eq!(
            target("Decidim::Meetings::Meeting", "5".into()),
            Target::Other("Decidim::Meetings::Meeting".into())
        );
    }
}
