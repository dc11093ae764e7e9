//! Translations: Fluent files embedded at build time, French first. Templates receive a `Tr` and
//! call `tr.t("key")`; every interface string goes through here.

use domain::Lang;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "fr",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static FR: LazyLock<LanguageIdentifier> = LazyLock::new(|| parse_id("fr"));
static EN: LazyLock<LanguageIdentifier> = LazyLock::new(|| parse_id("en"));

fn parse_id(s: &str) -> LanguageIdentifier {
    s.parse().unwrap_or_default()
}

/// A feature crate's own messages (`fluent_templates::static_loader!`), looked up before the
/// shared ones: a capability's strings live and change with its crate.
pub type Local = &'static (dyn Loader + Send + Sync);

/// A translator bound to one language.
#[derive(Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
    local: Option<Local>,
}

impl std::fmt::Debug for Tr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tr").field("lang", &self.lang).finish()
    }
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang, local: None }
    }

    /// The same language, with a feature crate's messages first.
    pub fn with(self, local: Local) -> Tr {
        Tr {
            lang: self.lang,
            local: Some(local),
        }
    }

    fn lookup(&self, key: &str, args: Option<&HashMap<Cow<'static, str>, FluentValue>>) -> String {
        if let Some(found) = self
            .local
            .and_then(|l| l.try_lookup_complete(self.id(), key, args))
        {
            return found;
        }
        LOCALES.lookup_complete(self.id(), key, args)
    }

    fn id(&self) -> &'static LanguageIdentifier {
        match self.lang {
            Lang::Fr => &FR,
            Lang::En => &EN,
        }
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    pub fn t(&self, key: &str) -> String {
        self.lookup(key, None)
    }

    /// The message if this key exists (in this crate's messages or the shared ones).
    pub fn try_t(&self, key: &str) -> Option<String> {
        self.local
            .and_then(|l| l.try_lookup(self.id(), key))
            .or_else(|| LOCALES.try_lookup(self.id(), key))
    }

    /// A message with one named argument, e.g. `tr.t1("phase-until", "date", "12 mai")`.
    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        args.insert(Cow::Borrowed(name), FluentValue::from(value.to_string()));
        self.lookup(key, Some(&args))
    }

    /// A message with several named arguments; numbers stay numbers for Fluent's plurals.
    pub fn tn(&self, key: &str, named: &[(&'static str, FluentValue<'static>)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = named
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
            .collect();
        self.lookup(key, Some(&args))
    }

    /// A message with two named text arguments.
    pub fn t2(
        &self,
        key: &str,
        a: (&'static str, impl ToString),
        b: (&'static str, impl ToString),
    ) -> String {
        self.tn(
            key,
            &[
                (a.0, FluentValue::from(a.1.to_string())),
                (b.0, FluentValue::from(b.1.to_string())),
            ],
        )
    }

    /// A message with a count, so that Fluent picks the plural form.
    pub fn count(&self, key: &str, n: i64) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        args.insert(Cow::Borrowed("count"), FluentValue::from(n));
        self.lookup(key, Some(&args))
    }

    /// A date in the visitor's language: "15 octobre 2021" / "15 October 2021".
    pub fn date(&self, ts: i64, tz: &jiff::tz::TimeZone) -> String {
        let Ok(t) = jiff::Timestamp::from_second(ts) else {
            return String::new();
        };
        let z = t.to_zoned(tz.clone());
        let month = self.t(&format!("month-{}", z.month()));
        match self.lang {
            Lang::Fr => format!("{} {} {}", z.day(), month, z.year()),
            Lang::En => format!("{} {} {}", z.day(), month, z.year()),
        }
    }

    pub fn datetime(&self, ts: i64, tz: &jiff::tz::TimeZone) -> String {
        let Ok(t) = jiff::Timestamp::from_second(ts) else {
            return String::new();
        };
        let z = t.to_zoned(tz.clone());
        format!("{} {:02}:{:02}", self.date(ts, tz), z.hour(), z.minute())
    }
}

/// The shared French and English messages, as written (for tests that check keys exist).
pub const FR_SOURCE: &str = include_str!("../locales/fr/main.ftl");
pub const EN_SOURCE: &str = include_str!("../locales/en/main.ftl");

/// Every key used in French must exist in English and the other way round.
pub fn missing_keys() -> Vec<String> {
    let (fr, en) = (FR_SOURCE, EN_SOURCE);
    let keys = |s: &str| -> std::collections::BTreeSet<String> {
        s.lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && l.contains(" ="))
            .filter_map(|l| l.split(" =").next())
            .map(|k| k.trim().to_string())
            .collect()
    };
    let (f, e) = (keys(fr), keys(en));
    f.symmetric_difference(&e).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_and_english_have_the_same_keys() {
        assert_eq!(missing_keys(), Vec::<String>::new());
    }

    /// A key defined twice makes Fluent refuse the whole file at the first lookup.
    #[test]
    fn no_key_is_defined_twice() {
        for (lang, text) in [
            ("fr", include_str!("../locales/fr/main.ftl")),
            ("en", include_str!("../locales/en/main.ftl")),
        ] {
            let mut seen = std::collections::BTreeSet::new();
            for key in text
                .lines()
                .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && l.contains(" ="))
                .filter_map(|l| l.split(" =").next())
            {
                assert!(seen.insert(key), "{lang}: {key} is defined twice");
            }
        }
    }

    #[test]
    fn lookups_work_in_both_languages() {
        assert_eq!(Tr::new(Lang::Fr).t("nav-home"), "Accueil");
        assert_eq!(Tr::new(Lang::En).t("nav-home"), "Home");
        let tz = jiff::tz::TimeZone::get("Europe/Paris").expect("tz");
        assert_eq!(
            Tr::new(Lang::Fr).date(1_634_299_200, &tz),
            "15 octobre 2021"
        );
    }
}
