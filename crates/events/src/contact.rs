//! Registering without an account: a name and a way to reach the person (e-mail, phone or
//! both), so that a change or a cancellation can be announced to them.

use domain::FieldErrors;
use serde::Deserialize;

pub const MAX_NAME: usize = 100;
const MAX_EMAIL: usize = 254;
const PHONE_DIGITS: std::ops::RangeInclusive<usize> = 6..=20;

pub const ERROR_KEYS: &[&str] = &[
    "registration-error-name-required",
    "registration-error-name-too-long",
    "registration-error-contact-required",
    "registration-error-email-invalid",
    "registration-error-phone-invalid",
];

/// The registration form of a visitor without an account, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ContactDraft {
    pub name: String,
    pub email: String,
    pub phone: String,
}

/// A checked contact: at least one of `email` and `phone` is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub email: Option<String>,
    /// Digits only, with a leading `+` when typed in international form.
    pub phone: Option<String>,
}

impl ContactDraft {
    pub fn validate(&self) -> Result<Contact, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = errors.check("name", name(&self.name));
        let email = errors.check("email", email(&self.email));
        let phone = errors.check("phone", phone(&self.phone));
        if let (Some(None), Some(None)) = (&email, &phone) {
            errors.add("email", "registration-error-contact-required");
        }
        match (name, email, phone) {
            (Some(name), Some(email), Some(phone)) if errors.is_empty() => {
                Ok(Contact { name, email, phone })
            }
            _ => Err(errors),
        }
    }
}

fn name(s: &str) -> Result<String, &'static str> {
    let t = s.trim();
    if t.is_empty() {
        Err("registration-error-name-required")
    } else if t.chars().count() > MAX_NAME {
        Err("registration-error-name-too-long")
    } else {
        Ok(t.to_string())
    }
}

/// A syntactic check only: one `@`, a local part, a dotted domain of sensible labels. Only
/// a mail that arrives proves an address.
fn email(s: &str) -> Result<Option<String>, &'static str> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let invalid = "registration-error-email-invalid";
    if t.len() > MAX_EMAIL || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid);
    }
    let (local, domain) = t.split_once('@').ok_or(invalid)?;
    let local_ok = !local.is_empty() && !local.contains(['<', '>', '(', ')', ',', ';', ':', '"']);
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    if local_ok && domain_ok {
        Ok(Some(t.to_string()))
    } else {
        Err(invalid)
    }
}

/// A French or international number: digits with spaces or dots between them and an
/// optional leading `+`, 6 to 20 digits. Returned without the separators.
fn phone(s: &str) -> Result<Option<String>, &'static str> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let invalid = "registration-error-phone-invalid";
    let (plus, rest) = match t.strip_prefix('+') {
        Some(rest) => ("+", rest),
        None => ("", t),
    };
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '.')
    {
        return Err(invalid);
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    if PHONE_DIGITS.contains(&digits.len()) {
        Ok(Some(format!("{plus}{digits}")))
    } else {
        Err(invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: &str, email: &str, phone: &str) -> ContactDraft {
        ContactDraft {
            name: name.into(),
            email: email.into(),
            phone: phone.into(),
        }
    }

    #[test]
    fn good_contacts() {
        let c = draft(" Zoé Martin ", "zoe@exemple.fr", "").validate();
        assert_eq!(
            c.map(|c| (c.name, c.email)),
            Ok(("Zoé Martin".into(), Some("zoe@exemple.fr".into())))
        );
        let c = draft("Zoé", "", "06 12 34 56 78").validate();
        assert_eq!(c.map(|c| c.phone), Ok(Some("0612345678".into())));
        let c = draft("Zoé", "zoé@mairie.angers.fr", "+33 6.12.34.56.78").validate();
        assert_eq!(c.map(|c| c.phone), Ok(Some("+33612345678".into())));
    }

    #[test]
    fn bad_contacts() {
        let cases = [
            (
                draft("", "zoe@exemple.fr", ""),
                "name",
                "registration-error-name-required",
            ),
            (
                draft(&"a".repeat(101), "zoe@exemple.fr", ""),
                "name",
                "registration-error-name-too-long",
            ),
            (
                draft("Zoé", " ", ""),
                "email",
                "registration-error-contact-required",
            ),
            (
                draft("Zoé", "zoe", ""),
                "email",
                "registration-error-email-invalid",
            ),
            (
                draft("Zoé", "zoe@exemple", ""),
                "email",
                "registration-error-email-invalid",
            ),
            (
                draft("Zoé", "@exemple.fr", ""),
                "email",
                "registration-error-email-invalid",
            ),
            (
                draft("Zoé", "zoe@@exemple.fr", ""),
                "email",
                "registration-error-email-invalid",
            ),
            (
                draft("Zoé", "zoe@exemple..fr", ""),
                "email",
                "registration-error-email-invalid",
            ),
            (
                draft("Zoé", "zo e@exemple.fr", ""),
                "email",
                "registration-error-email-invalid",
            ),
            (
                draft("Zoé", "Zoé <zoe@exemple.fr>", ""),
                "email",
                "registration-error-email-invalid",
            ),
            (
                draft("Zoé", "", "12345"),
                "phone",
                "registration-error-phone-invalid",
            ),
            (
                draft("Zoé", "", "06-12-34-56-78"),
                "phone",
                "registration-error-phone-invalid",
            ),
            (
                draft("Zoé", "", "06 12 34 56 7a"),
                "phone",
                "registration-error-phone-invalid",
            ),
            (
                draft("Zoé", "", "33+612345678"),
                "phone",
                "registration-error-phone-invalid",
            ),
            (
                draft("Zoé", "", &"1".repeat(21)),
                "phone",
                "registration-error-phone-invalid",
            ),
            (
                draft("Zoé", "", "٠٦١٢٣٤٥٦٧٨"),
                "phone",
                "registration-error-phone-invalid",
            ),
            (
                draft("Zoé", "zoe@exemple.fr", "nope"),
                "phone",
                "registration-error-phone-invalid",
            ),
        ];
        for (d, field, key) in cases {
            let errors = d.validate().expect_err(field);
            assert_eq!(errors.get(field), Some(key), "{d:?}");
            assert!(ERROR_KEYS.contains(&key));
        }
    }
}
