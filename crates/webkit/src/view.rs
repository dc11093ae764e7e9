//! What every page shares (the layout) and how a typed view becomes a response. Each page is a
//! struct deriving an askama template that embeds a `Layout` as `l`.

use crate::ctx::Ctx;
use crate::i18n::Tr;
use crate::state::AppState;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use domain::{Action, FieldErrors};

pub struct Layout {
    pub tr: Tr,
    pub title: String,
    pub instance_name: String,
    /// Language of the debates' texts, which may differ from the interface's.
    pub content_lang: String,
    pub user_name: Option<String>,
    pub staff: bool,
    pub csrf: String,
    pub lang_href: String,
    pub lang_label: String,
    pub lang_code: &'static str,
    pub notice: Option<String>,
    /// Set on pages with a form that failed, so the title says so and screen readers hear it.
    pub has_errors: bool,
}

/// Notices a redirect may ask for with `?ok=…`; anything else is ignored.
const NOTICES: [&str; 11] = [
    "published",
    "password-changed-here",
    "account-deleted",
    "saved",
    "created",
    "logged-out",
    "password-changed",
    "confirmed",
    "uploaded",
    "deleted",
    "roles-saved",
];

impl Layout {
    pub fn new(ctx: &Ctx, state: &AppState, title: String) -> Layout {
        let other = match ctx.tr.lang {
            domain::Lang::Fr => domain::Lang::En,
            domain::Lang::En => domain::Lang::Fr,
        };
        let (path, query) = ctx.path.split_once('?').unwrap_or((&ctx.path, ""));
        // "//host" would be another site: never link there.
        let path = if path.starts_with("//") || path.starts_with("/\\") {
            "/"
        } else {
            path
        };
        let mut pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(query).unwrap_or_default();
        let notice = pairs
            .iter()
            .find(|(k, _)| k == "ok")
            .and_then(|(_, v)| NOTICES.iter().find(|n| **n == v.as_str()))
            .map(|n| ctx.tr.t(&format!("notice-{n}")));
        pairs.retain(|(k, _)| k != "lang" && k != "ok");
        pairs.push(("lang".into(), other.code().into()));
        let lang_href = format!(
            "{}?{}",
            path,
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        );
        Layout {
            tr: ctx.tr,
            title,
            instance_name: state.settings.instance_name.clone(),
            content_lang: state.settings.content_language.clone(),
            user_name: ctx.user.as_ref().map(|u| u.display_name.clone()),
            staff: ctx.subject.may(Action::EnterStaffArea),
            csrf: ctx.csrf.clone(),
            lang_href,
            lang_label: ctx.tr.t("lang-switch"),
            lang_code: other.code(),
            notice,
            has_errors: false,
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        self.tr.t1(key, name, value)
    }

    pub fn t2(
        &self,
        key: &str,
        a: (&'static str, impl ToString),
        b: (&'static str, impl ToString),
    ) -> String {
        self.tr.t2(key, a, b)
    }

    /// `t2` as templates call it (askama passes tuples by reference).
    pub fn tt(
        &self,
        key: &str,
        a: &'static str,
        av: impl ToString,
        b: &'static str,
        bv: impl ToString,
    ) -> String {
        self.tr.t2(key, (a, av), (b, bv))
    }

    pub fn count(&self, key: &str, n: i64) -> String {
        self.tr.count(key, n)
    }
}

pub fn render<T: Template>(view: &T) -> Response {
    match view.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

/// A form page re-rendered with its errors: 400, so that clients and tests see the failure.
pub fn render_invalid<T: Template>(view: &T) -> Response {
    let mut res = render(view);
    if res.status().is_success() {
        *res.status_mut() = StatusCode::BAD_REQUEST;
    }
    res
}

/// Field errors translated for a template: `errs.get("title")` gives the message or "".
pub struct Errors {
    items: Vec<(String, String)>,
    /// The same for the summary at the top, each message prefixed with its field's label when
    /// the label is known (`field-{name}`), so that three "required" lines say which fields.
    summary: Vec<(String, String)>,
}

impl Errors {
    pub fn none() -> Errors {
        Errors {
            items: Vec::new(),
            summary: Vec::new(),
        }
    }

    pub fn from(tr: &Tr, fe: &FieldErrors) -> Errors {
        let items: Vec<(String, String)> =
            fe.0.iter()
                .map(|e| {
                    let msg = match e.n {
                        Some(n) => tr.count(e.key, n),
                        None => tr.t(e.key),
                    };
                    (e.field.clone(), msg)
                })
                .collect();
        let label = |field: &str| {
            let dashed = field.replace('_', "-");
            tr.try_t(&format!("field-{dashed}")).or_else(|| {
                let head = field.split('_').next().unwrap_or(field);
                tr.try_t(&format!("field-{head}"))
            })
        };
        let summary = items
            .iter()
            .map(|(f, m)| {
                let text = match label(f) {
                    Some(l) => tr.t2("error-summary-item", ("label", l), ("message", m)),
                    None => m.clone(),
                };
                (f.clone(), text)
            })
            .collect();
        Errors { items, summary }
    }

    pub fn get(&self, field: &str) -> String {
        self.items
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
            .unwrap_or_default()
    }

    pub fn has(&self, field: &str) -> bool {
        self.items.iter().any(|(f, _)| f == field)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// For the summary at the top of the form.
    pub fn all(&self) -> &[(String, String)] {
        &self.summary
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorView {
    pub l: Layout,
    pub message: String,
    pub status: u16,
}

/// The first `max` characters of a text, cut on a word boundary when one is near, with "…" when
/// something was cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => {
            let head = &text[..end];
            let cut = match head.rfind(char::is_whitespace) {
                Some(i) if i > end * 3 / 4 => &head[..i],
                _ => head,
            };
            format!("{}…", cut.trim_end())
        }
    }
}
