//! The second factor of staff accounts: TOTP (RFC 6238: HMAC-SHA-1, 30-second steps, 6 digits)
//! written here on the `hmac` and `sha1` crates, with ten recovery codes kept as SHA-256 hashes,
//! each usable once. Enrolment shows the secret as text and as an `otpauth://` URI, and is
//! confirmed by a code; a code's time step is claimed in the database, so that no code is
//! accepted twice.

use hmac_sha1::{KeyInit, Mac};
use storage::{Store, StoreError};

pub const STEP: i64 = 30;
pub const DIGITS: u32 = 6;
pub const RECOVERY_CODES: usize = 10;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32, without padding (as authenticator apps expect).
pub fn base32_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in data {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Base32 as people type it: case, spaces, dashes and padding ignored.
pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in s.chars().filter(|c| !matches!(c, ' ' | '-' | '=')) {
        let c = c.to_ascii_uppercase() as u8;
        let v = ALPHABET.iter().position(|&a| a == c)? as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// HOTP (RFC 4226) of `counter` with `digits` digits.
pub fn hotp(key: &[u8], counter: u64, digits: u32) -> u32 {
    let Ok(mut mac) = hmac_sha1::Hmac::<sha1::Sha1>::new_from_slice(key) else {
        return 0;
    };
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = (h[h.len() - 1] & 0x0f) as usize;
    let bin = (u32::from(h[offset]) & 0x7f) << 24
        | u32::from(h[offset + 1]) << 16
        | u32::from(h[offset + 2]) << 8
        | u32::from(h[offset + 3]);
    bin % 10u32.pow(digits)
}

/// The TOTP code at Unix time `at`, zero-padded.
pub fn totp(key: &[u8], at: i64, digits: u32) -> String {
    let step = at.div_euclid(STEP).max(0) as u64;
    format!(
        "{:0width$}",
        hotp(key, step, digits),
        width = digits as usize
    )
}

/// The time step a typed code belongs to, if it is the code of the current step, the one before
/// or the one after (clocks drift), and later than `after` (no replay).
pub fn matching_step(key: &[u8], code: &str, at: i64, after: Option<i64>) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = at.div_euclid(STEP);
    (now - 1..=now + 1)
        .filter(|s| after.is_none_or(|a| *s > a))
        .find(|s| same(&totp(key, s * STEP, DIGITS), &code))
}

/// Constant-time comparison of two codes.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// What an authenticator app reads from a QR code or a link.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &str) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP}",
        enc(issuer),
        enc(account),
        enc(issuer)
    )
}

/// A new secret: 160 random bits, as base32.
pub fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    base32_encode(&bytes)
}

/// A recovery code as typed: lowercase, without spaces or dashes.
fn normalise_recovery(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn hash_recovery(code: &str) -> String {
    storage::hash_token(&normalise_recovery(code))
}

/// Ten recovery codes `xxxxx-xxxxx` (50 random bits each) and their hashes.
fn new_recovery_codes() -> (Vec<String>, Vec<String>) {
    use rand::RngCore;
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let mut b = [0u8; 7];
            rand::rng().fill_bytes(&mut b);
            let s = base32_encode(&b).to_ascii_lowercase();
            format!("{}-{}", &s[..5], &s[5..10])
        })
        .collect();
    let hashes = codes.iter().map(|c| hash_recovery(c)).collect();
    (codes, hashes)
}

#[derive(Debug, thiserror::Error)]
pub enum SecondFactorError {
    /// Not the code of now, already used, or not a recovery code of the account.
    #[error("wrong code")]
    WrongCode,
    #[error("no enrolment was started")]
    NotStarted,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The start (or restart) of an enrolment: the secret to show. An enabled factor keeps its own.
pub async fn start_enrolment(store: &Store, user_id: i64) -> Result<String, StoreError> {
    let f = store.second_factor(user_id).await?;
    if f.enabled_at.is_none()
        && let Some(s) = f.secret
    {
        return Ok(s);
    }
    let secret = new_secret();
    store.set_pending_totp(user_id, &secret).await?;
    Ok(secret)
}

/// A code from the app confirms the enrolment: the factor is in use from now on; the ten
/// recovery codes come back, to be shown once.
pub async fn confirm_enrolment(
    store: &Store,
    user_id: i64,
    code: &str,
    at: i64,
) -> Result<Vec<String>, SecondFactorError> {
    let f = store.second_factor(user_id).await?;
    let secret = f.secret.ok_or(SecondFactorError::NotStarted)?;
    let key = base32_decode(&secret).ok_or(SecondFactorError::NotStarted)?;
    let step = matching_step(&key, code, at, f.last_step).ok_or(SecondFactorError::WrongCode)?;
    if !store.claim_totp_step(user_id, step).await? {
        return Err(SecondFactorError::WrongCode);
    }
    let (codes, hashes) = new_recovery_codes();
    let mut tx = store.begin().await?;
    tx.enable_totp(user_id, &hashes).await?;
    tx.audit(
        Some(user_id),
        "user.second_factor_on",
        &format!("user:{user_id}"),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(codes)
}

/// A code after the password or for re-authentication: six digits from the app, or one of the
/// recovery codes (used up, and audited).
pub async fn check_code(
    store: &Store,
    user_id: i64,
    code: &str,
    at: i64,
) -> Result<(), SecondFactorError> {
    let f = store.second_factor(user_id).await?;
    let (Some(secret), Some(_)) = (f.secret, f.enabled_at) else {
        return Err(SecondFactorError::NotStarted);
    };
    let key = base32_decode(&secret).ok_or(SecondFactorError::NotStarted)?;
    if let Some(step) = matching_step(&key, code, at, f.last_step) {
        return if store.claim_totp_step(user_id, step).await? {
            Ok(())
        } else {
            Err(SecondFactorError::WrongCode)
        };
    }
    let typed = normalise_recovery(code);
    if typed.len() == 10
        && store
            .use_recovery_code(user_id, &hash_recovery(&typed))
            .await?
    {
        store
            .audit(
                Some(user_id),
                "user.recovery_code_used",
                &format!("user:{user_id}"),
                "",
            )
            .await?;
        return Ok(());
    }
    Err(SecondFactorError::WrongCode)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B, SHA-1 (the key is the ASCII of "12345678901234567890").
    #[test]
    fn rfc_6238_test_vectors() {
        let key = b"12345678901234567890";
        let vectors = [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ];
        for (t, code) in vectors {
            assert_eq!(totp(key, t, 8), code, "T = {t}");
            assert_eq!(totp(key, t, 6), code[2..], "T = {t}, 6 digits");
        }
    }

    /// RFC 4226, appendix D.
    #[test]
    fn rfc_4226_hotp_vectors() {
        let key = b"12345678901234567890";
        let want = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (i, w) in want.iter().enumerate() {
            assert_eq!(hotp(key, i as u64, 6), *w, "count {i}");
        }
    }

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        let cases = [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ];
        for (plain, enc) in cases {
            assert_eq!(base32_encode(plain.as_bytes()), enc);
            assert_eq!(base32_decode(enc).as_deref(), Some(plain.as_bytes()));
        }
        assert_eq!(
            base32_decode("mzxw 6ytb-oi======").as_deref(),
            Some(&b"foobar"[..])
        );
        assert_eq!(base32_decode("MZ1"), None);
        let s = new_secret();
        assert_eq!(s.len(), 32);
        assert_eq!(base32_decode(&s).map(|k| k.len()), Some(20));
    }

    #[test]
    fn codes_match_within_one_step_and_never_twice() {
        let key = b"12345678901234567890";
        let at = 1_111_111_111;
        let now = at / STEP;
        let code = totp(key, at, DIGITS);
        assert_eq!(matching_step(key, &code, at, None), Some(now));
        assert_eq!(
            matching_step(key, &format!(" {code} "), at + 30, None),
            Some(now)
        );
        assert_eq!(matching_step(key, &code, at + 90, None), None);
        assert_eq!(matching_step(key, &code, at, Some(now)), None);
        assert_eq!(matching_step(key, "12345", at, None), None);
        assert_eq!(matching_step(key, "abcdef", at, None), None);
        let uri = otpauth_uri("Ville de Lyon", "a@b.fr", "ABC");
        assert_eq!(
            uri,
            "otpauth://totp/Ville%20de%20Lyon:a%40b.fr?secret=ABC&issuer=Ville%20de%20Lyon&algorithm=SHA1&digits=6&period=30"
        );
    }
}
