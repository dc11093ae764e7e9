//! The instance's lists: participant categories (French and English names) and quartiers.

use super::FormMap;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use domain::Action;
use domain::validate::{self, FieldErrors};
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::view::{Errors, Layout, render, render_invalid};

pub struct ListRow {
    pub key: String,
    pub name: String,
    pub name_en: String,
    pub error: String,
}

#[derive(Template)]
#[template(path = "admin/lists.html")]
pub struct ListsView {
    pub l: Layout,
    pub categories: Vec<ListRow>,
    pub quartiers: Vec<ListRow>,
    pub errs: Errors,
}

fn row(key: String, name: String, name_en: String) -> ListRow {
    ListRow {
        key,
        name,
        name_en,
        error: String::new(),
    }
}

pub async fn page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::ManageSettings)?;
    let mut categories: Vec<ListRow> = state
        .store
        .categories()
        .await?
        .into_iter()
        .map(|c| row(c.id.to_string(), c.name, c.name_en))
        .collect();
    categories.push(row("new".into(), String::new(), String::new()));
    let mut quartiers: Vec<ListRow> = state
        .store
        .quartiers()
        .await?
        .into_iter()
        .map(|q| row(q.id.to_string(), q.name, String::new()))
        .collect();
    quartiers.push(row("new".into(), String::new(), String::new()));
    Ok(render(&ListsView {
        l: ctx.layout(&state, ctx.tr.t("admin-lists")),
        categories,
        quartiers,
        errs: Errors::none(),
    }))
}

pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    ctx.require(Action::ManageSettings)?;
    let form = FormMap(pairs);
    let mut fe = FieldErrors::default();
    let cats = state.store.categories().await?;
    let quartiers = state.store.quartiers().await?;
    let mut cat_rows = Vec::new();
    let mut q_rows = Vec::new();
    let check = |fe: &mut FieldErrors, field: String, v: &str, required: bool| -> String {
        match validate::optional_text(v, 200) {
            Ok(t) if t.is_empty() && required => {
                fe.add(field, "error-required");
                "error-required".into()
            }
            Ok(_) => String::new(),
            Err(k) => {
                fe.add(field, k);
                k.into()
            }
        }
    };
    let cat_keys: Vec<String> = cats
        .iter()
        .map(|c| c.id.to_string())
        .chain(["new".to_string()])
        .collect();
    for key in &cat_keys {
        // Rows the form does not mention stay as they are.
        if key != "new" && !form.has(&format!("cat_{key}")) {
            continue;
        }
        let name = form.get(&format!("cat_{key}"));
        let name_en = form.get(&format!("caten_{key}"));
        let deleting = key != "new" && form.has(&format!("catdel_{key}"));
        let required = key != "new" && !deleting;
        let err = if deleting || (key == "new" && name.trim().is_empty()) {
            String::new()
        } else {
            check(&mut fe, format!("cat_{key}"), name, required)
        };
        cat_rows.push(ListRow {
            key: key.clone(),
            name: name.into(),
            name_en: name_en.into(),
            error: if err.is_empty() { err } else { ctx.tr.t(&err) },
        });
    }
    let q_keys: Vec<String> = quartiers
        .iter()
        .map(|q| q.id.to_string())
        .chain(["new".to_string()])
        .collect();
    let mut seen = std::collections::HashSet::new();
    for key in &q_keys {
        if key != "new" && !form.has(&format!("q_{key}")) {
            if let Some(q) = quartiers.iter().find(|q| q.id.to_string() == *key) {
                seen.insert(q.name.trim().to_lowercase());
            }
            continue;
        }
        let name = form.get(&format!("q_{key}"));
        let deleting = key != "new" && form.has(&format!("qdel_{key}"));
        let mut err = if deleting || (key == "new" && name.trim().is_empty()) {
            String::new()
        } else {
            check(&mut fe, format!("q_{key}"), name, key != "new")
        };
        // Quartier names are unique: say so beside the field rather than fail on save.
        if err.is_empty()
            && !deleting
            && !name.trim().is_empty()
            && !seen.insert(name.trim().to_lowercase())
        {
            fe.add(format!("q_{key}"), "error-duplicate");
            err = "error-duplicate".into();
        }
        q_rows.push(ListRow {
            key: key.clone(),
            name: name.into(),
            name_en: String::new(),
            error: if err.is_empty() { err } else { ctx.tr.t(&err) },
        });
    }
    if !fe.is_empty() {
        let mut l = ctx.layout(&state, ctx.tr.t("admin-lists"));
        l.has_errors = true;
        return Ok(render_invalid(&ListsView {
            l,
            categories: cat_rows,
            quartiers: q_rows,
            errs: Errors::from(&ctx.tr, &fe),
        }));
    }
    use storage::ListChange;
    let mut changes = Vec::new();
    for r in &cat_rows {
        let (name, name_en) = (r.name.trim().to_string(), r.name_en.trim().to_string());
        if r.key == "new" {
            if !name.is_empty() {
                changes.push(ListChange::AddCategory { name, name_en });
            }
        } else if let Ok(id) = r.key.parse::<i64>() {
            if form.has(&format!("catdel_{}", r.key)) {
                changes.push(ListChange::DeleteCategory(id));
            } else {
                changes.push(ListChange::UpdateCategory { id, name, name_en });
            }
        }
    }
    for r in &q_rows {
        let name = r.name.trim().to_string();
        if r.key == "new" {
            if !name.is_empty() {
                changes.push(ListChange::AddQuartier(name));
            }
        } else if let Ok(id) = r.key.parse::<i64>() {
            if form.has(&format!("qdel_{}", r.key)) {
                changes.push(ListChange::DeleteQuartier(id));
            } else {
                changes.push(ListChange::UpdateQuartier { id, name });
            }
        }
    }
    match state.store.save_lists(&changes).await {
        Err(storage::StoreError::Conflict(_)) => {
            return Err(AppError::BadRequest("error-duplicate"));
        }
        other => other?,
    }
    state
        .store
        .audit(ctx.user_id(), "settings.lists", "instance", "")
        .await?;
    Ok(Redirect::to("/admin/listes?ok=saved").into_response())
}
