//! Reading one record of a Decidim debates or comments export into what the import needs:
//! the translated fields in the instance's language, the HTML made text, the thread a comment
//! belongs to.

use super::*;

/// The first non-empty of the columns, Decidim's guard against formulas taken off.
fn field(row: &table::Row, cols: &[usize]) -> Option<String> {
    cols.iter().find_map(|&i| {
        let v = crate::import::sheet::unguard(row.get(i)?.trim());
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

/// A meeting: its title and description in the instance's language, times, address and place,
/// the number of attendees and the closing report (its minutes). Withdrawn or unpublished
/// meetings are kept as drafts, so that nothing is lost but nothing shows.
pub(super) fn meeting_row(
    table: &Table,
    row: &table::Row,
    lang: &str,
    rules: &Rules,
) -> Result<storage::ImportEvent, String> {
    let id = field(row, &column(table, &["id"])).ok_or("missing id")?;
    let text = |key: &str| {
        field(row, &translated(&table.names, key, lang))
            .map(|t| html_to_text(&t))
            .unwrap_or_default()
    };
    let title = text("title")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if title.is_empty() {
        return Err("missing title".into());
    }
    if title.chars().count() > events::draft::MAX_TITLE {
        return Err(format!(
            "title too long for an event: {} characters (at most {})",
            title.chars().count(),
            events::draft::MAX_TITLE
        ));
    }
    let time = |key: &str| -> Result<i64, String> {
        let s = field(row, &column(table, &[key])).ok_or(format!("missing {key}"))?;
        check::parse_time(&s, &rules.time_zone).ok_or(format!("{key} {s:?} is not a date"))
    };
    let starts_at = time("start_time")?;
    let ends_at = match field(row, &column(table, &["end_time"])) {
        Some(_) => time("end_time")?,
        None => starts_at + 7200,
    };
    if ends_at < starts_at {
        return Err("end_time is before start_time".into());
    }
    let flag = |key: &str, default: bool| {
        field(row, &column(table, &[key]))
            .map(|v| matches!(v.as_str(), "true" | "1" | "yes"))
            .unwrap_or(default)
    };
    let attendees = match field(row, &column(table, &["attendees_count", "attendees"])) {
        None => 0,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=100_000).contains(n))
            .ok_or(format!("attendees {v:?} is not a number of people"))?,
    };
    let place = text("location");
    let address = field(row, &column(table, &["address"])).unwrap_or_default();
    let address = match (place.is_empty(), address.is_empty()) {
        (false, false) => format!("{place}, {address}"),
        (false, true) => place,
        _ => address,
    };
    Ok(storage::ImportEvent {
        source_ref: id,
        title,
        description: text("description"),
        address,
        starts_at,
        ends_at,
        published: flag("published", true) && !flag("withdrawn", false),
        minutes: text("closing_report"),
        attendees,
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
