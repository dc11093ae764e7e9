//! Contributions: the list (the same filters and orders as the pages, keyset cursors), one
//! contribution with its comments, and the writes of a participant: comment, support, report.

use crate::auth::Caller;
use crate::body::Body;
use crate::debates::visible;
use crate::problem::{ApiResult, Problem};
use crate::{ApiState, json_read, time};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::{ContributionState, On, Resource};
use serde::{Deserialize, Serialize};
use storage::{ContributionFilter, ContributionRow, Cursor, ListOrder, Target};
use utoipa::{IntoParams, ToSchema};

pub const PAGE_MAX: i64 = 100;

#[derive(Serialize, ToSchema)]
pub struct ContributionOut {
    pub id: i64,
    pub debate: String,
    pub question_id: i64,
    pub question: String,
    /// individual or collective
    pub kind: String,
    /// online, paper, workshop, mediation, email, phone, import
    pub channel: String,
    /// published, hidden (by moderation) or withdrawn (by its author).
    pub status: String,
    /// `null` when hidden or withdrawn, unless the caller may read hidden text.
    pub title: Option<String>,
    pub body: Option<String>,
    /// For a collective contribution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub author: Option<String>,
    pub organisation: Option<String>,
    pub category: Option<String>,
    pub quartier: Option<String>,
    /// For contributions received offline: where and when.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub place: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub supports: i64,
    /// Supports it had on the platform it was imported from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported_supports: Option<i64>,
    /// A theme tag (e.g. an imported Decidim category).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub theme: String,
    pub comments: i64,
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct ContributionPage {
    pub items: Vec<ContributionOut>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CommentOut {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub depth: i64,
    pub author: Option<String>,
    /// published or hidden
    pub status: String,
    /// `null` when hidden, unless the caller may read hidden text.
    pub body: Option<String>,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct ContributionDetail {
    pub contribution: ContributionOut,
    pub comments: Vec<CommentOut>,
}

fn out(state: &ApiState, slug: &str, c: ContributionRow, readable: bool) -> ContributionOut {
    let shown = c.status == "published" || readable;
    ContributionOut {
        url: state.url(&format!("/contributions/{}", c.id)),
        debate: slug.to_string(),
        id: c.id,
        question_id: c.question_id,
        question: c.question,
        kind: c.kind,
        channel: c.channel,
        title: shown.then_some(c.title),
        body: shown.then_some(c.body),
        summary: (shown && !c.summary.is_empty()).then_some(c.summary),
        status: c.status,
        author: c.author_name,
        organisation: c.organisation_name,
        category: c.category,
        quartier: c.quartier,
        place: c.place,
        received_at: c.received_at.map(time),
        created_at: time(c.created_at),
        updated_at: time(c.updated_at),
        supports: c.supports_count,
        imported_supports: c.imported_supports,
        theme: c.theme,
        comments: c.comments_count,
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A guiding question's id.
    pub question: Option<i64>,
    /// A participant category's id.
    pub category: Option<i64>,
    /// A quartier's id.
    pub quartier: Option<i64>,
    /// online, paper, workshop, mediation, email, phone, import
    pub channel: Option<String>,
    /// individual or collective
    pub kind: Option<String>,
    /// A theme tag (e.g. an imported Decidim category).
    pub theme: Option<String>,
    /// newest (default), supports, comments, random
    pub order: Option<String>,
    /// For the random order: the seed that keeps one reader's order stable (0 to 2^32-1).
    pub seed: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Items per page, 1 to 100 (default 20).
    pub limit: Option<i64>,
}

fn encode_cursor(c: Cursor) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!(
        "{}.{}.{}",
        c.key,
        c.id,
        u8::from(c.wrapped)
    ))
}

fn decode_cursor(s: &str) -> Option<Cursor> {
    use base64::Engine;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let mut parts = text.split('.');
    let key = parts.next()?.parse().ok()?;
    let id = parts.next()?.parse().ok()?;
    let wrapped = match parts.next()? {
        "0" => false,
        "1" => true,
        _ => return None,
    };
    parts
        .next()
        .is_none()
        .then_some(Cursor { key, id, wrapped })
}

/// The published contributions of a debate, filtered and ordered as on its list page.
#[utoipa::path(get, path = "/debates/{slug}/contributions", tag = "contributions",
    params(("slug" = String, Path, description = "The debate's slug"), ListQuery),
    responses((status = 200, body = ContributionPage), (status = 304, description = "Not modified"),
        (status = 400, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security((), ("token" = [])))]
pub async fn list(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
    Path(slug): Path<String>,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = query.map_err(|e| {
        let text = e.body_text();
        let field = text
            .split('`')
            .nth(1)
            .map(str::to_string)
            .unwrap_or_else(|| "query".into());
        Problem::invalid(&field, text)
    })?;
    let d = visible(&state, &caller, &slug).await?;
    let limit = q.limit.unwrap_or(20);
    if !(1..=PAGE_MAX).contains(&limit) {
        return Err(Problem::invalid("limit", "between 1 and 100"));
    }
    let order = match q.order.as_deref().unwrap_or("newest") {
        "newest" => ListOrder::Newest,
        "supports" => ListOrder::MostSupported,
        "comments" => ListOrder::MostCommented,
        "random" => {
            let seed = q.seed.unwrap_or(0);
            if !(0..=i64::from(u32::MAX)).contains(&seed) {
                return Err(Problem::invalid("seed", "between 0 and 4294967295"));
            }
            ListOrder::Random { seed }
        }
        _ => {
            return Err(Problem::invalid(
                "order",
                "one of newest, supports, comments, random",
            ));
        }
    };
    if let Some(c) = &q.channel
        && domain::Channel::parse(c).is_none()
    {
        return Err(Problem::invalid(
            "channel",
            "one of online, paper, workshop, mediation, email, phone, import",
        ));
    }
    if let Some(k) = &q.kind
        && k != "individual"
        && k != "collective"
    {
        return Err(Problem::invalid("kind", "individual or collective"));
    }
    let after = match &q.cursor {
        None => None,
        Some(c) => Some(decode_cursor(c).ok_or_else(|| {
            Problem::new(StatusCode::BAD_REQUEST, "bad-cursor", "Invalid cursor", "")
                .field("cursor", "not a cursor this API gave")
        })?),
    };
    let filter = ContributionFilter {
        debate_id: d.id,
        question_id: q.question.unwrap_or(0),
        category_id: q.category.unwrap_or(0),
        quartier_id: q.quartier.unwrap_or(0),
        channel: q.channel.clone().unwrap_or_default(),
        kind: q.kind.clone().unwrap_or_default(),
        theme: q.theme.clone().unwrap_or_default(),
    };
    let rows = state
        .store
        .list_contributions(&filter, order, after, limit + 1)
        .await?;
    let more = rows.len() as i64 > limit;
    let rows: Vec<ContributionRow> = rows.into_iter().take(limit as usize).collect();
    let next_cursor = if more {
        rows.last().map(|r| encode_cursor(order.cursor(r, after)))
    } else {
        None
    };
    let items = rows
        .into_iter()
        .map(|c| out(&state, &d.slug, c, false))
        .collect();
    Ok(json_read(
        &headers,
        &ContributionPage { items, next_cursor },
    ))
}

/// One contribution with its comments.
#[utoipa::path(get, path = "/contributions/{id}", tag = "contributions",
    params(("id" = i64, Path, description = "The contribution's id")),
    responses((status = 200, body = ContributionDetail), (status = 304, description = "Not modified"),
        (status = 404, body = Problem)),
    security((), ("token" = [])))]
pub async fn show(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let (c, r) = app::visible_contribution(&state.store, &caller.subject, id)
        .await?
        .ok_or_else(Problem::not_found)?;
    let readable = caller.subject.may_on(On::ReadHidden, r);
    let slug = state
        .store
        .debate_by_id(c.debate_id)
        .await?
        .map(|d| d.slug)
        .unwrap_or_default();
    let live = matches!(
        r,
        Resource::Contribution {
            state: ContributionState::Published,
            ..
        }
    );
    let comments = if live || readable {
        state
            .store
            .comments(c.id)
            .await?
            .into_iter()
            .map(|m| CommentOut {
                id: m.id,
                parent_id: m.parent_id,
                depth: m.depth,
                author: m.author_name,
                body: (m.status == "published" || readable).then_some(m.body),
                status: m.status,
                created_at: time(m.created_at),
            })
            .collect()
    } else {
        Vec::new()
    };
    let detail = ContributionDetail {
        contribution: out(&state, &slug, c, readable),
        comments,
    };
    Ok(json_read(&headers, &detail))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    /// 1 to 2,000 characters.
    pub body: String,
    /// The comment this one answers, if any.
    #[serde(default)]
    pub parent_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
    pub url: String,
}

/// Comments on a contribution (write scope).
#[utoipa::path(post, path = "/contributions/{id}/comments", tag = "contributions",
    params(("id" = i64, Path, description = "The contribution's id")),
    request_body = NewComment,
    responses((status = 201, body = Created), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)),
    security(("token" = [])))]
pub async fn comment(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(input): Body<NewComment>,
) -> ApiResult<Response> {
    caller.writer()?;
    if !caller.subject.may(domain::Action::Contribute) {
        return Err(Problem::forbidden(
            "This account may not comment (unconfirmed, blocked, or a guarantor).",
        ));
    }
    use app::CommentError as E;
    let cid = app::discussion::comment(
        &state.store,
        &caller.subject,
        id,
        input.parent_id,
        &input.body,
    )
    .await
    .map_err(|e| match e {
        E::LoginRequired => Problem::unauthorized(""),
        E::NotFound => Problem::not_found(),
        E::UnknownParent => Problem::invalid("/parent_id", "not a comment of this contribution"),
        E::Forbidden => Problem::forbidden("Not allowed to comment here."),
        E::NotPublished => Problem::conflict("not-published", "The contribution is not published."),
        E::Empty => Problem::invalid("/body", "required"),
        E::TooLong => Problem::invalid("/body", "at most 2000 characters"),
        E::TooDeep => Problem::conflict(
            "too-deep",
            "Replies stop at this depth: answer the parent instead.",
        ),
        E::Flood => Problem::too_many("Too many comments in ten minutes; try again later."),
        E::Store(e) => e.into(),
    })?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Created {
            id: cid,
            url: state.url(&format!("/contributions/{id}#commentaire-{cid}")),
        }),
    )
        .into_response())
}

fn support_problem(e: app::SupportError) -> Problem {
    use app::SupportError as E;
    match e {
        E::LoginRequired => Problem::unauthorized(""),
        E::NotFound => Problem::not_found(),
        E::Own => Problem::conflict(
            "own-contribution",
            "One does not support one's own contribution.",
        ),
        E::Forbidden => Problem::forbidden("Not allowed to support."),
        E::Twice => Problem::conflict("already-supported", "You already support it."),
        E::NoSupport => Problem::conflict("not-supported", "You did not support it."),
        E::Store(e) => e.into(),
    }
}

async fn set_support(
    state: &ApiState,
    caller: &Caller,
    id: i64,
    add: bool,
) -> ApiResult<StatusCode> {
    caller.writer()?;
    if !caller.subject.may(domain::Action::Contribute) {
        return Err(Problem::forbidden("This account may not support."));
    }
    app::discussion::support(&state.store, &caller.subject, id, add)
        .await
        .map_err(support_problem)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Supports a contribution (write scope).
#[utoipa::path(put, path = "/contributions/{id}/support", tag = "contributions",
    params(("id" = i64, Path, description = "The contribution's id")),
    responses((status = 204, description = "Supported"), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("token" = [])))]
pub async fn support(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    set_support(&state, &caller, id, true).await
}

/// Withdraws one's support (write scope).
#[utoipa::path(delete, path = "/contributions/{id}/support", tag = "contributions",
    params(("id" = i64, Path, description = "The contribution's id")),
    responses((status = 204, description = "Support withdrawn"), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("token" = [])))]
pub async fn unsupport(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    set_support(&state, &caller, id, false).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    /// contribution or comment
    pub kind: String,
    pub id: i64,
    /// spam, abuse, personal-data, off-topic, other
    pub reason: String,
    #[serde(default)]
    pub details: String,
}

/// Reports a contribution or a comment to the moderators (write scope).
#[utoipa::path(post, path = "/reports", tag = "contributions",
    request_body = NewReport,
    responses((status = 201, description = "Reported"), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)),
    security(("token" = [])))]
pub async fn report(
    State(state): State<ApiState>,
    caller: Caller,
    Body(input): Body<NewReport>,
) -> ApiResult<StatusCode> {
    caller.writer()?;
    let target = Target::parse(&input.kind, input.id)
        .ok_or_else(|| Problem::invalid("/kind", "contribution or comment"))?;
    use app::ReportError as E;
    app::discussion::report(
        &state.store,
        &caller.subject,
        target,
        &input.reason,
        &input.details,
    )
    .await
    .map_err(|e| match e {
        E::LoginRequired => Problem::unauthorized(""),
        E::NotFound => Problem::not_found(),
        E::Own => Problem::conflict(
            "own-contribution",
            "One does not report one's own contribution.",
        ),
        E::Forbidden => Problem::forbidden("Not allowed to report."),
        E::Reason => Problem::invalid(
            "/reason",
            "one of spam, abuse, personal-data, off-topic, other",
        ),
        E::TooLong => Problem::invalid("/details", "at most 1000 characters"),
        E::Flood => Problem::too_many("Too many reports in an hour; try again later."),
        E::Twice => Problem::conflict(
            "already-reported",
            "You already reported it; the moderators will look at it.",
        ),
        E::Store(e) => e.into(),
    })?;
    Ok(StatusCode::CREATED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let c = Cursor {
            key: 1_700_000_000,
            id: 42,
            wrapped: true,
        };
        assert_eq!(decode_cursor(&encode_cursor(c)), Some(c));
        assert_eq!(decode_cursor("not a cursor"), None);
        assert_eq!(decode_cursor(""), None);
    }
}

/// English words for the form keys the use cases report.
fn message(key: &str) -> &'static str {
    match key {
        "error-required" => "required",
        "error-too-long" => "too long",
        "error-contribution-too-long" => "longer than this instance allows",
        "error-question-other-debate" => "not a guiding question of this debate",
        "error-invalid" => "not one of the allowed values",
        "error-date-future" => "in the future",
        "error-too-many-items" => "at most 500 items",
        _ => "invalid",
    }
}

fn invalid(fe: domain::FieldErrors, prefix: &str) -> Problem {
    let mut p = Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        "Invalid input",
        "Some fields are wrong; nothing was stored.",
    );
    for e in fe.0 {
        let field = format!("{prefix}/{}", e.field.replace('.', "/"));
        p = p.field(&field, message(e.key));
    }
    p
}

fn contribute_problem(e: app::ContributeError, prefix: &str) -> Problem {
    use app::ContributeError as E;
    match e {
        E::LoginRequired => Problem::unauthorized(""),
        E::NotFound => Problem::not_found(),
        E::Forbidden => Problem::forbidden("Not allowed to write contributions in this debate."),
        E::Closed(_) => Problem::conflict(
            "closed",
            "The contributions phase of this debate is not open.",
        ),
        E::Invalid(fe) => invalid(fe, prefix),
        E::Store(e) => e.into(),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewContribution {
    /// One of the debate's guiding questions.
    pub question_id: i64,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub quartier_id: Option<i64>,
}

/// Writes a contribution while the contributions phase is open (write scope).
#[utoipa::path(post, path = "/debates/{slug}/contributions", tag = "contributions",
    params(("slug" = String, Path, description = "The debate's slug")),
    request_body = NewContribution,
    responses((status = 201, body = Created), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)),
    security(("token" = [])))]
pub async fn contribute(
    State(state): State<ApiState>,
    caller: Caller,
    Path(slug): Path<String>,
    Body(input): Body<NewContribution>,
) -> ApiResult<Response> {
    caller.writer()?;
    let d = visible(&state, &caller, &slug).await?;
    use domain::limits::Rule;
    state
        .limit(&domain::limits::of(
            caller.user_id(),
            &caller.ip,
            Rule::ContributionAccount,
            Rule::ContributionIp,
        ))
        .await?;
    let id = app::contributions::contribute(
        &state.store,
        &caller.subject,
        &d,
        &app::contributions::OnlineInput {
            question_id: Some(input.question_id),
            title: input.title,
            body: input.body,
            quartier_id: input.quartier_id,
        },
        state.max_chars,
    )
    .await
    .map_err(|e| contribute_problem(e, ""))?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Created {
            id,
            url: state.url(&format!("/contributions/{id}")),
        }),
    )
        .into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfflineItem {
    pub question_id: i64,
    /// paper, workshop, mediation, email or phone
    pub channel: String,
    #[serde(default)]
    pub place: String,
    /// When the original was received (RFC 3339).
    #[serde(default)]
    pub received_at: Option<String>,
    #[serde(default)]
    pub quartier_id: Option<i64>,
    #[serde(default)]
    pub category_id: Option<i64>,
    /// individual (default) or collective
    #[serde(default)]
    pub kind: Option<String>,
    pub title: String,
    pub body: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfflineBatch {
    /// 1 to 500 contributions, stored all or none.
    pub items: Vec<OfflineItem>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedMany {
    pub ids: Vec<i64>,
}

/// Facilitators enter contributions received offline, in bulk: every item is checked first and
/// nothing is stored if one is wrong (write scope).
#[utoipa::path(post, path = "/debates/{slug}/offline-contributions", tag = "contributions",
    params(("slug" = String, Path, description = "The debate's slug")),
    request_body = OfflineBatch,
    responses((status = 201, body = CreatedMany), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("token" = [])))]
pub async fn enter_offline(
    State(state): State<ApiState>,
    caller: Caller,
    Path(slug): Path<String>,
    Body(batch): Body<OfflineBatch>,
) -> ApiResult<Response> {
    caller.writer()?;
    let d = visible(&state, &caller, &slug).await?;
    let mut items = Vec::with_capacity(batch.items.len());
    for (i, it) in batch.items.into_iter().enumerate() {
        let received_at = match &it.received_at {
            None => None,
            Some(t) => Some(
                t.parse::<jiff::Timestamp>()
                    .map_err(|_| {
                        Problem::invalid(
                            &format!("/items/{i}/received_at"),
                            "an RFC 3339 date and time",
                        )
                    })?
                    .as_second(),
            ),
        };
        items.push(app::contributions::OfflineInput {
            question_id: Some(it.question_id),
            channel: it.channel,
            place: it.place,
            received_at,
            quartier_id: it.quartier_id,
            category_id: it.category_id,
            kind: it.kind.unwrap_or_else(|| "individual".into()),
            title: it.title,
            body: it.body,
        });
    }
    let batch_of_one = items.len() == 1;
    let ids = app::contributions::enter_offline(
        &state.store,
        &caller.subject,
        &d,
        &items,
        state.max_chars,
    )
    .await
    .map_err(|e| contribute_problem(e, if batch_of_one { "/items/0" } else { "/items" }))?;
    Ok((StatusCode::CREATED, axum::Json(CreatedMany { ids })).into_response())
}
