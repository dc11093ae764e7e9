//! A person's own account: a new password (through a reset link, or from the profile with the
//! current one), what the platform holds about them, and the deletion of the account.

use domain::validate;
use storage::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// The field and the translation key of its message.
    #[error("invalid {0}: {1}")]
    Invalid(&'static str, &'static str),
    /// The reset link is unknown, used or expired.
    #[error("the link is no longer valid")]
    LinkInvalid,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Argon2id hash of a password, in PHC format.
pub fn hash_password(p: &str) -> String {
    password_auth::generate_hash(p)
}

/// Whether `password` is the account's. Unknown accounts spend the same time, so that timing
/// does not tell which addresses have one.
pub fn password_matches(password: &str, hash: Option<&str>) -> bool {
    static DUMMY_HASH: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| password_auth::generate_hash("not a real password"));
    match hash {
        Some(h) => password_auth::verify_password(password, h).is_ok(),
        None => {
            let _ = password_auth::verify_password(password, DUMMY_HASH.as_str());
            false
        }
    }
}

/// A new password through a reset link: every session of the account ends and every other
/// reset link stops working. Returns the account.
pub async fn reset_password(
    store: &Store,
    token: &str,
    password: &str,
) -> Result<i64, PasswordError> {
    let password =
        validate::password(password).map_err(|k| PasswordError::Invalid("password", k))?;
    let hash = hash_password(&password);
    let mut tx = store.begin().await?;
    let user_id = match tx.consume_user_token(token, "reset").await {
        Ok(id) => id,
        Err(StoreError::NotFound) => return Err(PasswordError::LinkInvalid),
        Err(e) => return Err(e.into()),
    };
    tx.set_password(user_id, &hash, None).await?;
    tx.confirm_and_unthrottle(user_id).await?;
    tx.audit(
        Some(user_id),
        "user.password_reset",
        &format!("user:{user_id}"),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(user_id)
}

/// A new password chosen from the profile, with the current one: the session that changed it
/// stays, every other session ends and every reset link stops working.
pub async fn change_password(
    store: &Store,
    user_id: i64,
    current: &str,
    new: &str,
    session_token: Option<&str>,
) -> Result<(), PasswordError> {
    let user = store
        .user_by_id(user_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    if !password_matches(current, Some(&user.password_hash)) {
        return Err(PasswordError::Invalid(
            "current_password",
            "error-current-password",
        ));
    }
    let new = validate::password(new).map_err(|k| PasswordError::Invalid("password", k))?;
    let hash = hash_password(&new);
    let mut tx = store.begin().await?;
    tx.set_password(user_id, &hash, session_token).await?;
    tx.audit(
        Some(user_id),
        "user.password_change",
        &format!("user:{user_id}"),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What the person can read about themselves: every section, and the trace that they asked.
pub async fn my_data(store: &Store, user_id: i64) -> Result<Vec<storage::Section>, StoreError> {
    let data = store.personal_data(user_id).await?;
    store
        .audit(
            Some(user_id),
            "user.data_export",
            &format!("user:{user_id}"),
            "",
        )
        .await?;
    Ok(data)
}

/// The JSON document of an access request: `data` holds one array per section, each row an
/// object of its columns (times in Unix seconds, in fields ending in `_at`).
pub fn data_document(public_url: &str, sections: &[storage::Section]) -> serde_json::Value {
    let data: serde_json::Map<String, serde_json::Value> = sections
        .iter()
        .map(|s| {
            (
                s.name.to_string(),
                serde_json::Value::Array(
                    s.rows
                        .iter()
                        .cloned()
                        .map(serde_json::Value::Object)
                        .collect(),
                ),
            )
        })
        .collect();
    serde_json::json!({
        "platform": public_url,
        "generated_at": storage::now(),
        "times": "Unix seconds, in the fields ending in _at",
        "data": data,
    })
}

/// What happens to a deleted account's contributions and comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeletionMode {
    /// They stay, signed "Participant·e anonyme".
    Anonymise,
    /// They are withdrawn and their texts erased.
    Withdraw,
}

impl DeletionMode {
    pub fn parse(s: &str) -> Option<DeletionMode> {
        match s {
            "anonymise" => Some(DeletionMode::Anonymise),
            "withdraw" => Some(DeletionMode::Withdraw),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DeletionMode::Anonymise => "anonymise",
            DeletionMode::Withdraw => "withdraw",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DeleteError {
    /// The field and the translation key of its message.
    #[error("invalid {0}: {1}")]
    Invalid(&'static str, &'static str),
    /// The instance would be left without an administrator.
    #[error("the last administrator cannot delete their account")]
    LastAdmin,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Deletes one's own account after the password was typed again. Registrations are cancelled
/// first, so that the people waiting get the places (and are told); the audit log keeps a
/// trace under the account's number only, which no longer leads to a name.
pub async fn delete_account(
    store: &Store,
    user_id: i64,
    password: &str,
    mode: Option<DeletionMode>,
) -> Result<storage::Deletion, DeleteError> {
    let user = store
        .user_by_id(user_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mode = mode.ok_or(DeleteError::Invalid("mode", "error-required"))?;
    if !password_matches(password, Some(&user.password_hash)) {
        return Err(DeleteError::Invalid("password", "error-current-password"));
    }
    let roles = store.roles_of(user_id).await?;
    if roles.contains(&domain::Role::Admin)
        && store.count_with_role(domain::Role::Admin).await? <= 1
    {
        return Err(DeleteError::LastAdmin);
    }
    erase(store, user_id, mode, Some(user_id), "user.delete").await
}

/// The deletion itself, once it was decided: by the person (`actor` is then the account) or by
/// the retention job (no actor, its own audit action). Registrations are cancelled first, so
/// that the people waiting get the places (and are told).
pub(crate) async fn erase(
    store: &Store,
    user_id: i64,
    mode: DeletionMode,
    actor: Option<i64>,
    action: &str,
) -> Result<storage::Deletion, DeleteError> {
    let live = store.live_registrations_of(user_id).await?;
    let mut tx = store.begin().await?;
    for id in live {
        let (_, promoted) = match tx.cancel_registration(id).await {
            Err(StoreError::NotFound) => continue,
            r => r?,
        };
        for r in promoted {
            tx.enqueue(crate::jobs::job(
                crate::events::EVENT_PROMOTED,
                &crate::events::RegistrationMail {
                    registration_id: r.id,
                },
            ))
            .await?;
        }
    }
    let d = tx
        .delete_account(user_id, mode == DeletionMode::Withdraw)
        .await?;
    tx.audit(
        actor,
        action,
        &format!("user:{user_id}"),
        &format!(
            "{} contributions={} comments={} supports={} registrations={}",
            mode.as_str(),
            d.contributions,
            d.comments,
            d.supports,
            d.registrations.len()
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(d)
}
