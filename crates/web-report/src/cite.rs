//! "Cite in the report", without JavaScript: a contribution's page and a theme's page link here;
//! the analyst picks the section of the draft, chooses the excerpt (for a contribution), and
//! the citation is added. A hidden or withdrawn contribution is refused with a clear message.

use crate::{app_error, debate, id_of, local};
use app::report::ReportError;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::On;
use report::{CitationDraft, SectionKind};
use webkit::choices::Choice;
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::form::FormMap;
use webkit::state::AppState;
use webkit::view::{Errors, Layout, render, render_invalid};

#[derive(serde::Deserialize, Default)]
pub struct CiteQuery {
    #[serde(default)]
    pub contribution: String,
    #[serde(default)]
    pub run: String,
    #[serde(default)]
    pub theme: String,
}

#[derive(Template)]
#[template(path = "cite.html")]
pub struct CiteView {
    pub l: Layout,
    pub slug: String,
    pub sections: Vec<Choice>,
    /// What is cited: "contribution" or "theme".
    pub what: &'static str,
    pub contribution: i64,
    pub run: i64,
    pub theme: i64,
    pub heading: String,
    /// The contribution's whole text, to choose the excerpt from.
    pub text: String,
    pub excerpt: String,
    pub errs: Errors,
    /// Set when the contribution may not be cited (hidden, withdrawn).
    pub refusal: String,
}

struct Target {
    what: &'static str,
    contribution: i64,
    run: i64,
    theme: i64,
}

fn target(q: &CiteQuery) -> AppResult<Target> {
    if let Some(c) = id_of(&q.contribution) {
        return Ok(Target {
            what: "contribution",
            contribution: c,
            run: 0,
            theme: 0,
        });
    }
    match (
        id_of(&q.run),
        q.theme.trim().parse::<i64>().ok().filter(|t| *t >= 0),
    ) {
        (Some(run), Some(theme)) => Ok(Target {
            what: "theme",
            contribution: 0,
            run,
            theme,
        }),
        _ => Err(AppError::BadRequest("report-error-cite-what")),
    }
}

/// What the form shows again after a refusal: the section chosen, the excerpt typed, the errors.
#[derive(Default)]
struct Typed {
    section: String,
    excerpt: String,
    errs: Option<Errors>,
    refusal: String,
}

async fn view(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    t: &Target,
    typed: Typed,
) -> AppResult<CiteView> {
    let Typed {
        section,
        excerpt,
        errs,
        refusal,
    } = typed;
    let section = section.as_str();
    let errs = errs.unwrap_or_else(Errors::none);
    let d = debate(state, slug).await?;
    app::report::authorize(&state.store, &ctx.subject, d.id, On::WriteReport, false)
        .await
        .map_err(app_error)?;
    let tr = &ctx.tr;
    let mut sections = Vec::new();
    if let Some(v) = state.store.report_draft(d.id).await? {
        let mut rows = state.store.report_sections(v.id).await?;
        rows.sort_by_key(|s| SectionKind::parse(&s.kind));
        for s in rows {
            let kind = SectionKind::parse(&s.kind).unwrap_or(SectionKind::Finding);
            let label = format!("{} — {}", crate::view::kind_label(tr, kind), s.title);
            sections.push(Choice::new(s.id, label, section));
        }
    }
    let (heading, text) = if t.what == "contribution" {
        let c = state
            .store
            .contribution(t.contribution)
            .await?
            .filter(|c| c.debate_id == d.id)
            .ok_or(AppError::NotFound)?;
        if c.status == "published" {
            (c.title.clone(), c.body.clone())
        } else {
            (
                tr.t1("report-contribution-number", "id", c.id),
                String::new(),
            )
        }
    } else {
        let label = match state.store.run(t.run).await? {
            Some((r, json)) if r.debate_id == d.id => {
                serde_json::from_str::<serde_json::Value>(&json)
                    .ok()
                    .and_then(|v| {
                        v.get("themes")?
                            .get(usize::try_from(t.theme).ok()?)?
                            .get("label")?
                            .as_str()
                            .map(str::to_string)
                    })
                    .ok_or(AppError::NotFound)?
            }
            _ => return Err(AppError::NotFound),
        };
        (
            tr.t1("report-cite-theme-heading", "label", label),
            String::new(),
        )
    };
    let mut l = ctx.layout(state, tr.t1("report-cite-title", "title", &heading));
    l.has_errors = !errs.is_empty() || !refusal.is_empty();
    Ok(CiteView {
        l,
        slug: d.slug,
        sections,
        what: t.what,
        contribution: t.contribution,
        run: t.run,
        theme: t.theme,
        heading,
        text,
        excerpt,
        errs,
        refusal,
    })
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<CiteQuery>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let t = target(&q)?;
    let v = view(&state, &ctx, &slug, &t, Typed::default()).await?;
    Ok(render(&v))
}

pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let f = FormMap(form);
    let q = CiteQuery {
        contribution: f.get("contribution").to_string(),
        run: f.get("run").to_string(),
        theme: f.get("theme").to_string(),
    };
    let t = target(&q)?;
    let excerpt = f.get("excerpt").to_string();
    let again = |errs: Errors, refusal: String| {
        let (state, ctx, slug, t, excerpt) = (&state, &ctx, &slug, &t, excerpt.clone());
        let section = f.get("section").to_string();
        async move {
            let typed = Typed {
                section,
                excerpt,
                errs: Some(errs),
                refusal,
            };
            view(state, ctx, slug, t, typed).await
        }
    };
    let Some(section) = id_of(f.get("section")) else {
        let mut fe = domain::FieldErrors::default();
        fe.add("section", "report-error-section-choose");
        let v = again(Errors::from(&ctx.tr, &fe), String::new()).await?;
        return Ok(render_invalid(&v));
    };
    let result = if t.what == "contribution" {
        let draft = CitationDraft {
            excerpt: excerpt.clone(),
        };
        app::report::cite_contribution(&state.store, &ctx.subject, section, t.contribution, &draft)
            .await
    } else {
        app::report::cite_theme(&state.store, &ctx.subject, section, t.run, t.theme).await
    };
    match result {
        Ok(_) => Ok(
            Redirect::to(&format!("/admin/rapports/{slug}?ok=saved#s-{section}")).into_response(),
        ),
        Err(ReportError::Invalid(fe)) => {
            let v = again(Errors::from(&ctx.tr, &fe), String::new()).await?;
            Ok(render_invalid(&v))
        }
        Err(ReportError::Refused(key)) => {
            let v = again(Errors::none(), ctx.tr.t(key)).await?;
            let mut res = render(&v);
            *res.status_mut() = axum::http::StatusCode::CONFLICT;
            Ok(res)
        }
        Err(e) => Err(app_error(e)),
    }
}
