//! Accounts: sign-up with e-mail confirmation, login with a throttle, logout, password reset,
//! and the participant's profile.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use domain::limits::{Count, Rule};
use domain::validate::{self, FieldErrors};
use domain::{Action, AgeBracket, Lang};
use serde::Deserialize;
use webkit::ctx::{Ctx, SESSION_COOKIE, set_cookie};
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::view::{Errors, Layout, render, render_invalid};

const CONFIRM_TTL: i64 = 7 * 86_400;
pub const RESET_TTL: i64 = 3_600;
const THROTTLE_WINDOW: i64 = 15 * 60;

use webkit::hash_password;

async fn send_confirmation(
    state: &AppState,
    tr: &webkit::i18n::Tr,
    user_id: i64,
    email: &str,
) -> AppResult<()> {
    let token = state
        .store
        .create_user_token(user_id, "confirm", CONFIRM_TTL)
        .await?;
    let link = format!(
        "{}/confirmer/{}",
        state.settings.public_url.trim_end_matches('/'),
        token
    );
    let body = tr.t1("mail-confirm-body", "link", &link);
    state
        .mail(email, &tr.t("mail-confirm-subject"), body)
        .await?;
    Ok(())
}

// ---- sign-up ----

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignupForm {
    pub display_name: String,
    pub email: String,
    pub password: String,
}

#[derive(Template)]
#[template(path = "signup.html")]
pub struct SignupView {
    pub l: Layout,
    pub form: SignupForm,
    pub errs: Errors,
    pub sent_to: Option<String>,
}

pub async fn signup_page(State(state): State<AppState>, ctx: Ctx) -> Response {
    render(&SignupView {
        l: ctx.layout(&state, ctx.tr.t("signup-title")),
        form: SignupForm::default(),
        errs: Errors::none(),
        sent_to: None,
    })
}

pub async fn signup(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SignupForm>,
) -> AppResult<Response> {
    let mut fe = FieldErrors::default();
    let name = fe.check("display_name", validate::display_name(&form.display_name));
    let email = fe.check("email", validate::email(&form.email));
    let password = fe.check("password", validate::password(&form.password));
    // Sign-ups from one address, and mails to one mailbox (a confirmation or an "account
    // exists" notice alike, so that the answer does not tell which).
    if let Some(email) = &email {
        let mut counts = vec![Count::ip(Rule::SignupIp, &ctx.client_ip)];
        counts.push(Count::target(Rule::MailTarget, email));
        webkit::limits::form(&state, &ctx, &mut fe, "email", &counts).await?;
    }
    let (Some(name), Some(email), Some(password), true) = (name, email, password, fe.is_empty())
    else {
        let mut l = ctx.layout(&state, ctx.tr.t("signup-title"));
        l.has_errors = true;
        let form = SignupForm {
            password: String::new(),
            ..form
        };
        return Ok(render_invalid(&SignupView {
            l,
            errs: Errors::from(&ctx.tr, &fe),
            form,
            sent_to: None,
        }));
    };
    let hash = hash_password(&password);
    match state
        .store
        .create_user(storage::NewUser {
            email: &email,
            password_hash: &hash,
            display_name: &name,
            lang: ctx.lang().code(),
            confirmed: false,
        })
        .await
    {
        Ok(id) => {
            state
                .store
                .audit(Some(id), "user.signup", &format!("user:{id}"), "")
                .await?;
            send_confirmation(&state, &ctx.tr, id, &email).await?;
        }
        // Same answer whether or not the address is known, so that sign-up does not reveal who
        // has an account; the owner of the address is told by mail instead.
        Err(storage::StoreError::Conflict(_)) => {
            state
                .mail(
                    &email,
                    &ctx.tr.t("mail-exists-subject"),
                    ctx.tr.t1(
                        "mail-exists-body",
                        "link",
                        format!(
                            "{}/mot-de-passe-oublie",
                            state.settings.public_url.trim_end_matches('/')
                        ),
                    ),
                )
                .await?;
        }
        Err(e) => return Err(e.into()),
    }
    Ok(render(&SignupView {
        l: ctx.layout(&state, ctx.tr.t("signup-check-mail-title")),
        form: SignupForm::default(),
        errs: Errors::none(),
        sent_to: Some(email),
    }))
}

// ---- confirmation ----

#[derive(Template)]
#[template(path = "token_action.html")]
pub struct TokenActionView {
    pub l: Layout,
    pub action: String,
    pub text: String,
    pub button: String,
    pub valid: bool,
}

pub async fn confirm_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let valid = state
        .store
        .peek_user_token(&token, "confirm")
        .await?
        .is_some();
    Ok(render(&TokenActionView {
        l: ctx.layout(&state, ctx.tr.t("confirm-title")),
        action: format!("/confirmer/{token}"),
        text: ctx.tr.t(if valid {
            "confirm-text"
        } else {
            "token-invalid"
        }),
        button: ctx.tr.t("confirm-button"),
        valid,
    }))
}

pub async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    match state.store.consume_user_token(&token, "confirm").await {
        Ok(user_id) => {
            state.store.confirm_user(user_id).await?;
            state
                .store
                .audit(
                    Some(user_id),
                    "user.confirm",
                    &format!("user:{user_id}"),
                    "",
                )
                .await?;
            // Straight to the login, the address already typed.
            let email = state
                .store
                .user_by_id(user_id)
                .await?
                .map(|u| u.email)
                .unwrap_or_default();
            let q = serde_urlencoded::to_string([("ok", "confirmed"), ("email", email.as_str())])
                .unwrap_or_default();
            Ok(Redirect::to(&format!("/connexion?{q}")).into_response())
        }
        Err(storage::StoreError::NotFound) => {
            let mut res = render(&TokenActionView {
                l: ctx.layout(&state, ctx.tr.t("confirm-title")),
                action: String::new(),
                text: ctx.tr.t("token-invalid"),
                button: String::new(),
                valid: false,
            });
            *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

// ---- login / logout ----

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
    pub next: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NextQuery {
    pub next: String,
    /// Filled in after the address was confirmed.
    pub email: String,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginView {
    pub l: Layout,
    pub email: String,
    pub next: String,
    pub errs: Errors,
}

/// Only local paths are followed after login: no open redirect.
pub(crate) fn safe_next(next: &str) -> String {
    let b = next.as_bytes();
    let local = b.first() == Some(&b'/')
        && !matches!(b.get(1), Some(b'/') | Some(b'\\'))
        && next.bytes().all(|c| c.is_ascii_graphic())
        && !next.starts_with("/connexion");
    if local {
        next.to_string()
    } else {
        "/".to_string()
    }
}

pub async fn login_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NextQuery>,
) -> Response {
    render(&LoginView {
        l: ctx.layout(&state, ctx.tr.t("login-title")),
        email: q.email.trim().chars().take(254).collect(),
        next: safe_next(&q.next),
        errs: Errors::none(),
    })
}

pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let email = form.email.trim().to_lowercase();
    let email_key = format!("email:{email}");
    let ip_key = format!("ip:{}", ctx.client_ip);
    let since = storage::now() - THROTTLE_WINDOW;
    let limit = state.settings.login_attempts;
    let fail = |key: &'static str| {
        let mut fe = FieldErrors::default();
        fe.add("email", key);
        let mut l = ctx.layout(&state, ctx.tr.t("login-title"));
        l.has_errors = true;
        render_invalid(&LoginView {
            l,
            email: email.clone(),
            next: safe_next(&form.next),
            errs: Errors::from(&ctx.tr, &fe),
        })
    };
    if state.store.login_failures_since(&email_key, since).await? >= limit
        || state.store.login_failures_since(&ip_key, since).await? >= limit * 4
    {
        let mut res = fail("error-login-throttled");
        *res.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
        return Ok(res);
    }
    let user = state.store.user_by_email(&email).await?;
    let ok = match &user {
        Some(u) => password_auth::verify_password(&form.password, &u.password_hash).is_ok(),
        None => {
            // Spend the same time as a real check so timing does not reveal unknown addresses.
            let _ = password_auth::verify_password(&form.password, DUMMY_HASH.as_str());
            false
        }
    };
    let Some(user) = user.filter(|_| ok) else {
        state
            .store
            .record_login_failure(&[&email_key, &ip_key])
            .await?;
        return Ok(fail("error-login"));
    };
    if user.blocked_at.is_some() {
        return Ok(fail("error-login-blocked"));
    }
    if user.confirmed_at.is_none() {
        send_confirmation(&state, &ctx.tr, user.id, &user.email).await?;
        return Ok(fail("error-login-unconfirmed"));
    }
    state.store.clear_login_failures(&email_key).await?;
    // An account with a second factor, or whose roles need one, is not signed in yet: its
    // session waits for the code (or for the enrolment) on the next page.
    let factor = state.store.second_factor(user.id).await?;
    let roles = state.store.roles_of(user.id).await?;
    let next = safe_next(&form.next);
    // Staff who came to sign in (no page to go back to) land where their work is.
    let next = if next == "/" && !roles.is_empty() {
        "/admin".to_string()
    } else {
        next
    };
    let (pending, target) = if factor.enabled_at.is_some() {
        (storage::PENDING_CODE, "/connexion/code")
    } else if state.settings.needs_second_factor(&roles) {
        (storage::PENDING_ENROLMENT, "/connexion/second-facteur")
    } else {
        (0, "")
    };
    let target = if pending == 0 {
        next
    } else {
        format!(
            "{target}?{}",
            serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default()
        )
    };
    let ttl = state.settings.session_days * 86_400;
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let token = state
        .store
        .open_session(user.id, ttl, user_agent, pending)
        .await?;
    if let Some(old) = &ctx.session_token {
        state.store.delete_session(old).await?;
    }
    let mut res = Redirect::to(&target).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, &token, ttl),
    );
    // The interface follows the language chosen in the profile.
    if let Some(lang) = Lang::parse(&user.lang) {
        res.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(&state, webkit::ctx::LANG_COOKIE, lang.code(), 400 * 86_400),
        );
    }
    Ok(res)
}

static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| password_auth::generate_hash("not a real password"));

pub async fn logout(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    if let Some(t) = &ctx.session_token {
        state.store.delete_session(t).await?;
    }
    let mut res = Redirect::to("/?ok=logged-out").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, "", 0),
    );
    Ok(res)
}

// ---- password reset ----

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ForgotForm {
    pub email: String,
}

#[derive(Template)]
#[template(path = "forgot.html")]
pub struct ForgotView {
    pub l: Layout,
    pub email: String,
    pub errs: Errors,
    pub sent: bool,
}

pub async fn forgot_page(State(state): State<AppState>, ctx: Ctx) -> Response {
    render(&ForgotView {
        l: ctx.layout(&state, ctx.tr.t("forgot-title")),
        email: String::new(),
        errs: Errors::none(),
        sent: false,
    })
}

pub async fn forgot(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ForgotForm>,
) -> AppResult<Response> {
    let email = match validate::email(&form.email) {
        Ok(e) => e,
        Err(key) => {
            let mut fe = FieldErrors::default();
            fe.add("email", key);
            let mut l = ctx.layout(&state, ctx.tr.t("forgot-title"));
            l.has_errors = true;
            return Ok(render_invalid(&ForgotView {
                l,
                email: form.email,
                errs: Errors::from(&ctx.tr, &fe),
                sent: false,
            }));
        }
    };
    let counts = [
        Count::ip(Rule::ResetIp, &ctx.client_ip),
        Count::target(Rule::MailTarget, &email),
    ];
    let mut fe = FieldErrors::default();
    webkit::limits::form(&state, &ctx, &mut fe, "email", &counts).await?;
    if !fe.is_empty() {
        let mut l = ctx.layout(&state, ctx.tr.t("forgot-title"));
        l.has_errors = true;
        return Ok(render_invalid(&ForgotView {
            l,
            email: form.email,
            errs: Errors::from(&ctx.tr, &fe),
            sent: false,
        }));
    }
    // The same single write whether or not the address has an account; the job looks it up.
    state
        .store
        .enqueue(app::jobs::job(
            app::jobs::PASSWORD_RESET,
            &app::jobs::PasswordReset { email },
        ))
        .await?;
    Ok(render(&ForgotView {
        l: ctx.layout(&state, ctx.tr.t("forgot-title")),
        email: String::new(),
        errs: Errors::none(),
        sent: true,
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResetForm {
    pub password: String,
}

#[derive(Template)]
#[template(path = "reset.html")]
pub struct ResetView {
    pub l: Layout,
    pub token: String,
    pub valid: bool,
    pub errs: Errors,
}

pub async fn reset_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let valid = state
        .store
        .peek_user_token(&token, "reset")
        .await?
        .is_some();
    Ok(render(&ResetView {
        l: ctx.layout(&state, ctx.tr.t("reset-title")),
        token,
        valid,
        errs: Errors::none(),
    }))
}

pub async fn reset(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(form): Form<ResetForm>,
) -> AppResult<Response> {
    let invalid = |fe: FieldErrors, valid: bool| {
        let mut l = ctx.layout(&state, ctx.tr.t("reset-title"));
        l.has_errors = true;
        render_invalid(&ResetView {
            l,
            token: token.clone(),
            valid,
            errs: Errors::from(&ctx.tr, &fe),
        })
    };
    match app::account::reset_password(&state.store, &token, &form.password).await {
        Ok(_) => Ok(Redirect::to("/connexion?ok=password-changed").into_response()),
        Err(app::account::PasswordError::Invalid(field, key)) => {
            let mut fe = FieldErrors::default();
            fe.add(field, key);
            Ok(invalid(fe, true))
        }
        Err(app::account::PasswordError::LinkInvalid) => Ok(invalid(FieldErrors::default(), false)),
        Err(app::account::PasswordError::Store(e)) => Err(e.into()),
    }
}

// ---- profile ----

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    pub display_name: String,
    pub category_id: String,
    pub quartier_id: String,
    pub age_bracket: String,
    pub lang: String,
}

pub use webkit::choices::{self, Choice};

#[derive(Template)]
#[template(path = "profile.html")]
pub struct ProfileView {
    pub l: Layout,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<String>,
    pub categories: Vec<Choice>,
    pub quartiers: Vec<Choice>,
    pub ages: Vec<Choice>,
    pub langs: Vec<Choice>,
    pub errs: Errors,
}

async fn profile_view(
    state: &AppState,
    ctx: &Ctx,
    form: &ProfileForm,
    errs: Errors,
) -> AppResult<ProfileView> {
    let user = ctx.user.as_ref().ok_or(AppError::LoginRequired)?;
    let tr = ctx.tr;
    let categories = choices::categories(state, &tr, &form.category_id).await?;
    let quartiers = choices::quartiers(state, &form.quartier_id).await?;
    let ages = AgeBracket::ALL
        .iter()
        .map(|a| Choice {
            selected: form.age_bracket == a.as_str(),
            value: a.as_str().into(),
            label: tr.t(&format!("age-{}", a.as_str())),
        })
        .collect();
    let langs = Lang::ALL
        .iter()
        .map(|la| Choice {
            selected: form.lang == la.code(),
            value: la.code().into(),
            label: tr.t(&format!("lang-name-{}", la.code())),
        })
        .collect();
    let mut l = ctx.layout(state, tr.t("profile-title"));
    l.has_errors = !errs.is_empty();
    Ok(ProfileView {
        l,
        email: user.email.clone(),
        display_name: form.display_name.clone(),
        roles: user
            .roles
            .iter()
            .map(|r| tr.t(&format!("role-{}", r.as_str())))
            .collect(),
        categories,
        quartiers,
        ages,
        langs,
        errs,
    })
}

pub async fn profile_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::EditOwnProfile)?;
    let user_id = ctx.user_id().ok_or(AppError::LoginRequired)?;
    let u = state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or(AppError::LoginRequired)?;
    let form = ProfileForm {
        display_name: u.display_name,
        category_id: u.category_id.map(|v| v.to_string()).unwrap_or_default(),
        quartier_id: u.quartier_id.map(|v| v.to_string()).unwrap_or_default(),
        age_bracket: u.age_bracket.unwrap_or_default(),
        lang: u.lang,
    };
    Ok(render(
        &profile_view(&state, &ctx, &form, Errors::none()).await?,
    ))
}

pub async fn profile(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ProfileForm>,
) -> AppResult<Response> {
    ctx.require(Action::EditOwnProfile)?;
    let user_id = ctx.user_id().ok_or(AppError::LoginRequired)?;
    let mut fe = FieldErrors::default();
    let name = fe.check("display_name", validate::display_name(&form.display_name));
    let categories = state.store.categories().await?;
    let quartiers = state.store.quartiers().await?;
    let parse_choice = |v: &str, ids: &[i64]| -> Result<Option<i64>, &'static str> {
        if v.is_empty() {
            return Ok(None);
        }
        v.parse::<i64>()
            .ok()
            .filter(|id| ids.contains(id))
            .map(Some)
            .ok_or("error-invalid")
    };
    let cat_ids: Vec<i64> = categories.iter().map(|c| c.id).collect();
    let q_ids: Vec<i64> = quartiers.iter().map(|q| q.id).collect();
    let category_id = fe.check("category_id", parse_choice(&form.category_id, &cat_ids));
    let quartier_id = fe.check("quartier_id", parse_choice(&form.quartier_id, &q_ids));
    let age = if form.age_bracket.is_empty() {
        Some(None)
    } else {
        fe.check(
            "age_bracket",
            AgeBracket::parse(&form.age_bracket)
                .map(|a| Some(a.as_str().to_string()))
                .ok_or("error-invalid"),
        )
    };
    let lang = fe.check("lang", Lang::parse(&form.lang).ok_or("error-invalid"));
    let (Some(name), Some(category_id), Some(quartier_id), Some(age), Some(lang)) =
        (name, category_id, quartier_id, age, lang)
    else {
        let view = profile_view(&state, &ctx, &form, Errors::from(&ctx.tr, &fe)).await?;
        return Ok(render_invalid(&view));
    };
    state
        .store
        .update_profile(
            user_id,
            &storage::ProfileFields {
                display_name: name,
                category_id,
                quartier_id,
                age_bracket: age,
                lang: lang.code().into(),
            },
        )
        .await?;
    let mut res = Redirect::to("/profil?ok=saved").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, webkit::ctx::LANG_COOKIE, lang.code(), 400 * 86_400),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next("/profil?x=1"), "/profil?x=1");
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n",
            "https://evil.example",
            "",
            "/connexion",
            "/ a",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
    }
}
