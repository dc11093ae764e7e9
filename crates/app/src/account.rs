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
