//! CSRF protection that works without JavaScript: every browser gets a random `cc_csrf` cookie
//! and every form carries HMAC(key, cookie) in a hidden field. A cross-site page can neither read
//! the cookie nor compute the token; the HMAC keeps a cookie planted by a sibling domain useless.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const COOKIE: &str = "cc_csrf";

pub fn token_for(key: &[u8], cookie_value: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(cookie_value.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Constant-time comparison; an empty expected value never matches.
pub fn same(given: &str, expected: &str) -> bool {
    if expected.is_empty() || given.len() != expected.len() {
        return false;
    }
    given
        .bytes()
        .zip(expected.bytes())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}

/// Finds the `csrf` field of an `application/x-www-form-urlencoded` body.
pub fn token_in_form(body: &[u8]) -> Option<String> {
    form_urlencoded_pairs(body)
        .into_iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v)
}

fn form_urlencoded_pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let t = token_for(b"key", "cookie");
        assert_eq!(t.len(), 64);
        assert!(same(&t, &token_for(b"key", "cookie")));
        assert!(!same(&t, &token_for(b"key", "other")));
        assert!(!same("", ""));
        assert_eq!(token_in_form(b"a=1&csrf=abc%20d"), Some("abc d".into()));
        assert_eq!(token_in_form(b"a=1"), None);
    }
}
