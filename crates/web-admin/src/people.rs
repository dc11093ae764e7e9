//! People and roles: administrators grant and revoke roles and block accounts; every change is in
//! the audit log. The last administrator cannot remove their own role.

use super::FormMap;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::{Action, Role};
use serde::Deserialize;
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::view::{Layout, render};

pub struct RoleCheck {
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

pub struct PersonRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub status: String,
    pub blocked: bool,
    pub roles: Vec<RoleCheck>,
    pub is_self: bool,
}

#[derive(Template)]
#[template(path = "admin/people.html")]
pub struct PeopleView {
    pub l: Layout,
    pub q: String,
    pub people: Vec<PersonRow>,
    pub error: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PeopleQuery {
    pub q: String,
    pub erreur: String,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PeopleQuery>,
) -> AppResult<Response> {
    ctx.require(Action::ManageRoles)?;
    let tr = ctx.tr;
    let people = state
        .store
        .list_users(&q.q, 200)
        .await?
        .into_iter()
        .map(|u| PersonRow {
            roles: Role::ALL
                .iter()
                .map(|r| RoleCheck {
                    value: r.as_str(),
                    label: tr.t(&format!("role-{}", r.as_str())),
                    checked: u.roles.contains(r),
                })
                .collect(),
            status: tr.t(if u.blocked {
                "person-blocked"
            } else if u.confirmed {
                "person-confirmed"
            } else {
                "person-unconfirmed"
            }),
            blocked: u.blocked,
            is_self: Some(u.id) == ctx.user_id(),
            id: u.id,
            email: u.email,
            display_name: u.display_name,
        })
        .collect();
    let error = if q.erreur == "last-admin" {
        tr.t("error-last-admin")
    } else {
        String::new()
    };
    Ok(render(&PeopleView {
        l: ctx.layout(&state, tr.t("admin-people")),
        q: q.q,
        people,
        error,
    }))
}

pub async fn save_roles(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(user_id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    ctx.require(Action::ManageRoles)?;
    webkit::access::recently_verified(&state, &ctx).await?;
    let form = FormMap(pairs);
    let target = state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let wanted: Vec<Role> = form
        .all("role")
        .into_iter()
        .map(|r| Role::parse(r).ok_or(AppError::BadRequest("error-malformed-form")))
        .collect::<Result<_, _>>()?;
    let current = state.store.roles_of(user_id).await?;
    let block = form.has("blocked");
    // Never leave the instance without an administrator.
    let loses_admin = current.contains(&Role::Admin) && (!wanted.contains(&Role::Admin) || block);
    if loses_admin && state.store.count_with_role(Role::Admin).await? <= 1 {
        return Ok(Redirect::to("/admin/utilisateurs?erreur=last-admin").into_response());
    }
    let actor = ctx.user_id();
    for r in Role::ALL {
        let (had, wants) = (current.contains(&r), wanted.contains(&r));
        if wants && !had {
            state.store.grant_role(user_id, r, actor).await?;
            state
                .store
                .audit(actor, "role.grant", &format!("user:{user_id}"), r.as_str())
                .await?;
        } else if had && !wants {
            state.store.revoke_role(user_id, r).await?;
            state
                .store
                .audit(actor, "role.revoke", &format!("user:{user_id}"), r.as_str())
                .await?;
        }
    }
    if block != target.blocked_at.is_some() {
        state.store.set_blocked(user_id, block).await?;
        let action = if block { "user.block" } else { "user.unblock" };
        state
            .store
            .audit(actor, action, &format!("user:{user_id}"), "")
            .await?;
    }
    Ok(Redirect::to("/admin/utilisateurs?ok=roles-saved").into_response())
}
