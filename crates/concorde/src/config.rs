//! Reading the settings: defaults, then a TOML file, then `CONCORDE_*` variables (and
//! `DATABASE_URL`), then command-line flags — each overriding the one before.

use std::path::{Path, PathBuf};
use web::Settings;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the settings file {0}: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("the settings file {0} is invalid: {1}")]
    Parse(PathBuf, toml::de::Error),
    #[error("the variable {0} must be a whole number, got {1:?}")]
    Number(&'static str, String),
    #[error("unknown time zone {0:?} (use a name like Europe/Paris)")]
    TimeZone(String),
    #[error("{0}")]
    Invalid(String),
}

/// Every variable the program reads, with the settings key it fills (the README lists them).
pub const ENV_KEYS: [(&str, &str); 29] = [
    ("CONCORDE_LISTEN", "listen"),
    ("CONCORDE_DATA", "data_dir"),
    ("DATABASE_URL", "database_url"),
    ("CONCORDE_DATABASE_URL", "database_url"),
    ("CONCORDE_PUBLIC_URL", "public_url"),
    ("CONCORDE_INSTANCE_NAME", "instance_name"),
    ("CONCORDE_TIMEZONE", "timezone"),
    ("CONCORDE_CONTENT_LANGUAGE", "content_language"),
    ("CONCORDE_SMTP_URL", "smtp_url"),
    ("CONCORDE_MAIL_FROM", "mail_from"),
    ("CONCORDE_MAIL_REPLY_TO", "mail_reply_to"),
    ("CONCORDE_JOB_ATTEMPTS", "job_attempts"),
    ("CONCORDE_RUN_JOBS", "run_jobs"),
    ("CONCORDE_JOB_LEASE_SECS", "job_lease_secs"),
    ("CONCORDE_SESSION_DAYS", "session_days"),
    ("CONCORDE_MAX_IMAGE_MB", "max_image_mb"),
    ("CONCORDE_MAX_DOCUMENT_MB", "max_document_mb"),
    ("CONCORDE_CONTRIBUTION_MAX_CHARS", "contribution_max_chars"),
    ("CONCORDE_LOGIN_ATTEMPTS", "login_attempts"),
    ("CONCORDE_TRUST_FORWARDED_FOR", "trust_forwarded_for"),
    ("CONCORDE_CACHES", "caches"),
    ("CONCORDE_PUBLISHER", "publisher"),
    ("CONCORDE_CONTACT_EMAIL", "contact_email"),
    ("CONCORDE_METRICS_TOKEN", "metrics_token"),
    ("CONCORDE_RATE_LIMITS", "rate_limits"),
    ("CONCORDE_SECOND_FACTOR_ROLES", "second_factor_roles"),
    ("CONCORDE_REAUTH_MINUTES", "reauth_minutes"),
    ("CONCORDE_INACTIVE_ACCOUNT_DAYS", "inactive_account_days"),
    (
        "CONCORDE_REGISTRATION_RETENTION_DAYS",
        "registration_retention_days",
    ),
];

pub fn load(
    file: Option<&Path>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Settings, ConfigError> {
    let mut s = match file {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| ConfigError::Read(path.into(), e))?;
            toml::from_str::<Settings>(&text).map_err(|e| ConfigError::Parse(path.into(), e))?
        }
        None => Settings::default(),
    };
    let public_url_set = file.is_some_and(|_| s.public_url != Settings::default().public_url)
        || env("CONCORDE_PUBLIC_URL").is_some();
    for (var, key) in ENV_KEYS {
        let Some(v) = env(var) else { continue };
        let number = |v: &str| -> Result<i64, ConfigError> {
            v.trim()
                .parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| ConfigError::Number(var, v.to_string()))
        };
        match key {
            "listen" => s.listen = v,
            "data_dir" => s.data_dir = PathBuf::from(v),
            "database_url" => s.database_url = v,
            "public_url" => s.public_url = v,
            "instance_name" => s.instance_name = v,
            "timezone" => s.timezone = v,
            "content_language" => s.content_language = v,
            "smtp_url" => s.smtp_url = v,
            "mail_from" => s.mail_from = v,
            "mail_reply_to" => s.mail_reply_to = v,
            "job_attempts" => s.job_attempts = number(&v)?,
            "job_lease_secs" => s.job_lease_secs = number(&v)?,
            "session_days" => s.session_days = number(&v)?,
            "max_image_mb" => s.max_image_mb = number(&v)? as usize,
            "max_document_mb" => s.max_document_mb = number(&v)? as usize,
            "contribution_max_chars" => s.contribution_max_chars = number(&v)? as usize,
            "login_attempts" => s.login_attempts = number(&v)?,
            "trust_forwarded_for" => s.trust_forwarded_for = boolean(var, &v)?,
            "run_jobs" => s.run_jobs = boolean(var, &v)?,
            "caches" => s.caches = boolean(var, &v)?,
            "publisher" => s.publisher = v,
            "contact_email" => s.contact_email = v,
            "metrics_token" => s.metrics_token = v,
            // `rule=N/period` pairs, separated by commas, over those of the file.
            "rate_limits" => {
                for pair in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    let (rule, limit) = pair.split_once('=').ok_or_else(|| {
                        ConfigError::Invalid(format!(
                            "{var} holds rule=N/period pairs separated by commas, got {pair:?}"
                        ))
                    })?;
                    s.rate_limits
                        .insert(rule.trim().to_string(), limit.trim().to_string());
                }
            }
            "second_factor_roles" => {
                s.second_factor_roles = v
                    .split(',')
                    .map(|r| r.trim().to_string())
                    .filter(|r| !r.is_empty())
                    .collect()
            }
            "reauth_minutes" => s.reauth_minutes = number(&v)?,
            "inactive_account_days" => s.inactive_account_days = number(&v)?,
            "registration_retention_days" => s.registration_retention_days = number(&v)?,
            _ => {}
        }
    }
    if !public_url_set {
        s.public_url = format!("http://{}", s.listen);
    }
    validate(&s)?;
    Ok(s)
}

fn boolean(var: &str, v: &str) -> Result<bool, ConfigError> {
    match v.trim() {
        "1" | "true" | "yes" => Ok(true),
        "0" | "false" | "no" | "" => Ok(false),
        _ => Err(ConfigError::Invalid(format!(
            "{var} must be true or false, got {v:?}"
        ))),
    }
}

pub fn validate(s: &Settings) -> Result<(), ConfigError> {
    let positive = [
        ("session_days", s.session_days),
        ("login_attempts", s.login_attempts),
        ("job_attempts", s.job_attempts),
        ("job_lease_secs", s.job_lease_secs),
        ("max_image_mb", s.max_image_mb as i64),
        ("max_document_mb", s.max_document_mb as i64),
        ("contribution_max_chars", s.contribution_max_chars as i64),
        ("reauth_minutes", s.reauth_minutes),
        ("inactive_account_days", s.inactive_account_days),
        ("registration_retention_days", s.registration_retention_days),
    ];
    if let Some((key, v)) = positive.iter().find(|(_, v)| *v <= 0) {
        return Err(ConfigError::Invalid(format!(
            "{key} must be greater than 0, got {v}"
        )));
    }
    jobs::mail::check(&s.mail_config()).map_err(ConfigError::Invalid)?;
    if let Some(r) = s
        .second_factor_roles
        .iter()
        .find(|r| domain::Role::parse(r).is_none())
    {
        return Err(ConfigError::Invalid(format!(
            "second_factor_roles: unknown role {r:?} (admin, moderator, analyst, facilitator, guarantor, jury)"
        )));
    }
    s.limits_checked()
        .map_err(|e| ConfigError::Invalid(format!("rate_limits: {e}")))?;
    let lang = &s.content_language;
    if lang.len() != 2 || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(ConfigError::Invalid(format!(
            "content_language must be a two-letter language code like fr, got {lang:?}"
        )));
    }
    let token = &s.metrics_token;
    if !token.is_empty() && (token.len() < 16 || !token.bytes().all(|b| b.is_ascii_graphic())) {
        return Err(ConfigError::Invalid(
            "metrics_token must be at least 16 printable characters without spaces".into(),
        ));
    }
    if jiff::tz::TimeZone::get(&s.timezone).is_err() {
        return Err(ConfigError::TimeZone(s.timezone.clone()));
    }
    if s.listen.parse::<std::net::SocketAddr>().is_err() {
        return Err(ConfigError::Invalid(format!(
            "listen must be an address and port like 127.0.0.1:8080, got {:?}",
            s.listen
        )));
    }
    if !(s.public_url.starts_with("http://") || s.public_url.starts_with("https://")) {
        return Err(ConfigError::Invalid(format!(
            "public_url must start with http:// or https://, got {:?}",
            s.public_url
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn defaults_then_file_then_environment() {
        let s = load(None, &env(&[])).expect("defaults");
        assert_eq!(s.listen, "127.0.0.1:8080");
        assert_eq!(s.public_url, "http://127.0.0.1:8080");
        let dir = std::env::temp_dir().join(format!("concorde-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let file = dir.join("concorde.toml");
        std::fs::write(
            &file,
            "listen = \"0.0.0.0:9000\"\ninstance_name = \"Nantes\"\n",
        )
        .expect("write");
        let s = load(
            Some(&file),
            &env(&[
                ("CONCORDE_INSTANCE_NAME", "Dialogue citoyen"),
                ("CONCORDE_MAX_IMAGE_MB", "3"),
            ]),
        )
        .expect("file + env");
        assert_eq!(s.listen, "0.0.0.0:9000");
        assert_eq!(s.instance_name, "Dialogue citoyen");
        assert_eq!(s.max_image_mb, 3);
        assert_eq!(s.public_url, "http://0.0.0.0:9000");
    }

    #[test]
    fn settings_that_would_break_the_instance_are_refused() {
        let dir = std::env::temp_dir().join(format!("concorde-cfg3-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let file = dir.join("zero.toml");
        std::fs::write(&file, "login_attempts = 0\n").expect("write");
        let e = load(Some(&file), &env(&[])).unwrap_err();
        assert!(
            e.to_string()
                .contains("login_attempts must be greater than 0"),
            "{e}"
        );
        let e = load(None, &env(&[("CONCORDE_SMTP_URL", "pas une url")])).unwrap_err();
        assert!(e.to_string().contains("smtp_url is not valid"), "{e}");
        let e = load(None, &env(&[("CONCORDE_MAIL_FROM", "personne")])).unwrap_err();
        assert!(e.to_string().contains("mail_from"), "{e}");
        let e = load(None, &env(&[("CONCORDE_TRUST_FORWARDED_FOR", "peut-être")])).unwrap_err();
        assert!(e.to_string().contains("true or false"), "{e}");
        let ok = load(None, &env(&[("CONCORDE_TRUST_FORWARDED_FOR", "true")])).expect("valid");
        assert!(ok.trust_forwarded_for);
        assert!(
            load(None, &env(&[])).expect("valid").caches,
            "caches on by default"
        );
        let cold = load(None, &env(&[("CONCORDE_CACHES", "false")])).expect("valid");
        assert!(!cold.caches);
        let e = load(None, &env(&[("CONCORDE_INACTIVE_ACCOUNT_DAYS", "0")])).unwrap_err();
        assert!(
            e.to_string().contains("CONCORDE_INACTIVE_ACCOUNT_DAYS"),
            "{e}"
        );
        let e = load(
            None,
            &env(&[("CONCORDE_REGISTRATION_RETENTION_DAYS", "six mois")]),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("CONCORDE_REGISTRATION_RETENTION_DAYS"),
            "{e}"
        );
        std::fs::write(&file, "inactive_account_days = -1\n").expect("write");
        let e = load(Some(&file), &env(&[])).unwrap_err();
        assert!(
            e.to_string()
                .contains("inactive_account_days must be greater than 0"),
            "{e}"
        );
        let s = load(None, &env(&[("CONCORDE_INACTIVE_ACCOUNT_DAYS", "365")])).expect("valid");
        assert_eq!(
            (s.inactive_account_days, s.registration_retention_days),
            (365, 183)
        );
    }

    #[test]
    fn bad_values_say_what_is_wrong() {
        let e = load(None, &env(&[("CONCORDE_SESSION_DAYS", "trente")])).unwrap_err();
        assert!(e.to_string().contains("CONCORDE_SESSION_DAYS"));
        let e = load(None, &env(&[("CONCORDE_TIMEZONE", "Mars/Olympus")])).unwrap_err();
        assert!(e.to_string().contains("Mars/Olympus"));
        let dir = std::env::temp_dir().join(format!("concorde-cfg2-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let file = dir.join("bad.toml");
        std::fs::write(&file, "listn = \"x\"\n").expect("write");
        let e = load(Some(&file), &env(&[])).unwrap_err();
        assert!(e.to_string().contains("listn"), "{e}");
    }
}
