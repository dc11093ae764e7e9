//! The job queue's page for administrators: what waits, what failed and why, and a button to
//! try a failed job again.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::Action;
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::view::{Layout, render};

pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub attempts: String,
    pub when: String,
    pub error: String,
}

#[derive(Template)]
#[template(path = "admin/jobs.html")]
pub struct JobsView {
    pub l: Layout,
    pub counts: String,
    pub pending: Vec<JobRow>,
    pub failed: Vec<JobRow>,
}

fn rows(state: &AppState, ctx: &Ctx, jobs: Vec<storage::Job>, failed: bool) -> Vec<JobRow> {
    jobs.into_iter()
        .map(|j| JobRow {
            id: j.id,
            kind: ctx.tr.t(&format!("job-kind-{}", j.kind)),
            attempts: format!("{} / {}", j.attempts, j.max_attempts),
            when: ctx.tr.datetime(
                if failed {
                    j.finished_at.unwrap_or(j.run_at)
                } else {
                    j.run_at
                },
                &state.tz,
            ),
            error: j.last_error,
        })
        .collect()
}

pub async fn page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::ManageSettings)?;
    let c = state.store.job_counts().await?;
    let mut pending = state.store.jobs_in_state("running", None, 100).await?;
    pending.extend(state.store.jobs_in_state("queued", None, 100).await?);
    let failed = state.store.jobs_in_state("failed", None, 100).await?;
    let counts = ctx.tr.tn(
        "jobs-counts",
        &[
            ("queued", c.queued.into()),
            ("running", c.running.into()),
            ("done", c.done.into()),
            ("failed", c.failed.into()),
        ],
    );
    Ok(render(&JobsView {
        l: ctx.layout(&state, ctx.tr.t("jobs-title")),
        counts,
        pending: rows(&state, &ctx, pending, false),
        failed: rows(&state, &ctx, failed, true),
    }))
}

pub async fn retry(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    ctx.require(Action::ManageSettings)?;
    if !state.store.retry_job(id).await? {
        return Err(AppError::Conflict("error-job-not-failed"));
    }
    state
        .store
        .audit(ctx.user_id(), "job.retry", &format!("job:{id}"), "")
        .await?;
    Ok(Redirect::to("/admin/taches?ok=1").into_response())
}
