//! The demo's survey: the seed's "enquête auprès de 1 100 Nantaises et Nantais" on solidarity
//! practices. Ten questions on three pages (every kind the builder offers), a synthetic panel
//! of 1,100 respondents weighted to the quartiers' population, and 300 online responses.
//!
//! How the synthetic data is made (documented in docs/survey.md): a fixed-seed generator draws
//! each panel respondent's sex, age band and quartier with a bias real panels have (women,
//! people aged 45–74 and the central quartiers over-represented), then answers whose
//! probabilities depend on that profile (the oldest feel more isolated, the youngest give time
//! rather than money…). The online respondents are drawn the same way with the bias of those
//! who choose to speak (more association members, fewer isolated people). The panel is
//! imported and weighted through the same use cases as the pages, on sex, age and quartier.

use ::survey::Status;
use app::surveys::{self, QuestionDraft, SurveyDraft, WeightingOptions};
use domain::policy::Account;
use domain::{Role, Subject};
use storage::{Store, StoreError};

pub const SLUG: &str = "enquete-solidarites";

/// A small deterministic generator (xorshift64*): the same demo on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.next() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    fn chance(&mut self, p: f64) -> bool {
        self.next() < p
    }
}

const AGES: [&str; 5] = ["18-29", "30-44", "45-59", "60-74", "75+"];
/// Population shares of the age bands (adults), approximately those of a large French city.
const AGE_SHARES: [f64; 5] = [0.27, 0.26, 0.21, 0.17, 0.09];
/// What a panel over-represents: 45–74, and women.
const PANEL_AGE_BIAS: [f64; 5] = [0.55, 0.85, 1.3, 1.5, 1.1];
const WOMEN_SHARE: f64 = 0.53;

fn q(code: &str, kind: &str, fr: &str, en: &str) -> QuestionDraft {
    QuestionDraft {
        code: code.into(),
        kind: kind.into(),
        label_fr: fr.into(),
        label_en: en.into(),
        ..Default::default()
    }
}

fn questions() -> Vec<(usize, QuestionDraft)> {
    let mut aide = q(
        "aide",
        "single",
        "Au cours des douze derniers mois, avez-vous aidé une personne en dehors de votre foyer ?",
        "In the last twelve months, have you helped someone outside your household?",
    );
    aide.mandatory = true;
    aide.options = "oui | Oui | Yes\nnon | Non | No".into();
    let mut formes = q(
        "formes",
        "multiple",
        "Sous quelles formes ?",
        "In what ways?",
    );
    formes.options = "temps | Du temps (visites, accompagnement) | Time (visits, company)\n\
                      argent | De l'argent | Money\n\
                      courses | Des courses, des repas | Shopping, meals\n\
                      demarches | Des démarches administratives | Paperwork\n\
                      garde | Garder des enfants | Childcare"
        .into();
    formes.max_choices = "3".into();
    formes.conditions = "aide = oui".into();
    formes.help_fr = "Trois réponses au plus.".into();
    let mut isolement = q(
        "isolement",
        "scale",
        "Vous sentez-vous seul·e ou isolé·e ? (0 : jamais, 10 : tout le temps)",
        "Do you feel lonely or isolated? (0: never, 10: all the time)",
    );
    isolement.min = "0".into();
    isolement.max = "10".into();
    let mut asso = q(
        "asso",
        "single",
        "Êtes-vous membre ou bénévole d'une association ?",
        "Are you a member or a volunteer of an association?",
    );
    asso.options = "benevole | Oui, bénévole | Yes, a volunteer\nmembre | Oui, membre | Yes, a member\nnon | Non | No".into();
    let mut confiance = q(
        "confiance",
        "matrix",
        "Quelle confiance faites-vous à chacun pour agir contre la précarité ?",
        "How much do you trust each of them to act against precarity?",
    );
    confiance.rows = "ville | La Ville | The city\nassociations | Les associations | Associations\nvoisins | Vos voisins | Your neighbours".into();
    confiance.options = "1 | Pas du tout | Not at all\n2 | Plutôt pas | Rather not\n3 | Plutôt | Rather\n4 | Tout à fait | Completely".into();
    let mut priorites = q(
        "priorites",
        "ranking",
        "Classez ces priorités pour la ville",
        "Rank these priorities for the city",
    );
    priorites.options = "logement | Le logement | Housing\nalimentation | L'alimentation | Food\nisolement | L'isolement | Loneliness\nemploi | L'emploi | Jobs".into();
    let mut heures = q(
        "heures",
        "number",
        "Combien d'heures par mois pourriez-vous donner à une action de solidarité ?",
        "How many hours a month could you give to a solidarity action?",
    );
    heures.min = "0".into();
    heures.max = "200".into();
    let mut satisfaction = q(
        "satisfaction",
        "scale",
        "Êtes-vous satisfait·e de l'action de la ville pour les solidarités ? (1 à 5)",
        "Are you satisfied with the city's action for solidarity? (1 to 5)",
    );
    satisfaction.min = "1".into();
    satisfaction.max = "5".into();
    let mut idee = q(
        "idee",
        "long_text",
        "Une idée pour que personne ne reste seul·e dans votre quartier ?",
        "An idea so that nobody stays alone in your neighbourhood?",
    );
    idee.help_fr = "Facultatif. N'écrivez pas de nom.".into();
    let mut connu = q(
        "connu",
        "short_text",
        "Comment avez-vous connu cette enquête ?",
        "How did you hear about this survey?",
    );
    connu.help_fr = "Facultatif.".into();
    vec![
        (0, aide),
        (0, isolement),
        (1, formes),
        (1, asso),
        (1, confiance),
        (2, priorites),
        (2, heures),
        (2, satisfaction),
        (2, idee),
        (2, connu),
    ]
}

struct Person {
    women: bool,
    age: usize,
    quartier: usize,
}

fn answers(rng: &mut Rng, p: &Person, online: bool) -> serde_json::Value {
    use serde_json::json;
    let young = p.age <= 1;
    let old = p.age >= 4;
    let helped = rng.chance(if online { 0.72 } else { 0.52 } + if p.women { 0.06 } else { 0.0 });
    let mut a = serde_json::Map::new();
    a.insert("aide".into(), json!(if helped { "oui" } else { "non" }));
    let lonely_mean: f64 = if old {
        5.5
    } else if young {
        4.0
    } else {
        3.0
    } - if online { 1.0 } else { 0.0 };
    let lonely = (lonely_mean + (rng.next() - 0.5) * 6.0)
        .round()
        .clamp(0.0, 10.0);
    a.insert("isolement".into(), json!(lonely));
    if helped {
        let mut f = Vec::new();
        for (code, p_) in [
            ("temps", if young { 0.6 } else { 0.45 }),
            ("argent", if young { 0.15 } else { 0.35 }),
            ("courses", 0.4),
            ("demarches", if old { 0.1 } else { 0.25 }),
            ("garde", if p.age == 1 || p.age == 3 { 0.3 } else { 0.1 }),
        ] {
            if f.len() < 3 && rng.chance(p_) {
                f.push(code);
            }
        }
        if f.is_empty() {
            f.push("temps");
        }
        a.insert("formes".into(), json!(f));
    }
    let asso = rng.pick(if online {
        &[0.35, 0.25, 0.4]
    } else {
        &[0.12, 0.16, 0.72]
    });
    a.insert("asso".into(), json!(["benevole", "membre", "non"][asso]));
    let mut m = serde_json::Map::new();
    for (row, base) in [("ville", 2.3), ("associations", 3.1), ("voisins", 2.7)] {
        let v = (base + (rng.next() - 0.5) * 2.4).round().clamp(1.0, 4.0) as i64;
        m.insert(row.into(), json!(v.to_string()));
    }
    a.insert("confiance".into(), serde_json::Value::Object(m));
    let mut prio = vec!["logement", "alimentation", "isolement", "emploi"];
    // A random order leaning towards housing first, loneliness first for the oldest.
    for i in (1..prio.len()).rev() {
        let j = (rng.next() * (i + 1) as f64) as usize;
        prio.swap(i, j);
    }
    let lead = if old { "isolement" } else { "logement" };
    if rng.chance(0.45) {
        prio.retain(|x| *x != lead);
        prio.insert(0, lead);
    }
    a.insert("priorites".into(), json!(prio));
    if rng.chance(0.8) {
        let h = (rng.next() * if young { 14.0 } else { 8.0 }).round();
        a.insert("heures".into(), json!(h));
    }
    a.insert(
        "satisfaction".into(),
        json!((1.0 + rng.next() * 4.0).round()),
    );
    if online && rng.chance(0.3) {
        let ideas = [
            "Un repas partagé par mois dans chaque maison de quartier.",
            "Des visites aux personnes âgées de l'immeuble, organisées avec les bailleurs.",
            "Une permanence pour aider aux démarches en ligne, près du marché.",
            "Faire connaître les associations aux nouveaux arrivants.",
        ];
        a.insert(
            "idee".into(),
            json!(ideas[(rng.next() * ideas.len() as f64) as usize % ideas.len()]),
        );
    }
    serde_json::Value::Object(a)
}

fn person(rng: &mut Rng, quartier_weights: &[f64], panel: bool) -> Person {
    let ages: Vec<f64> = AGE_SHARES
        .iter()
        .zip(PANEL_AGE_BIAS)
        .map(|(s, b)| if panel { s * b } else { s * (2.0 - b).max(0.4) })
        .collect();
    Person {
        women: rng.chance(if panel { 0.6 } else { 0.58 }),
        age: rng.pick(&ages),
        quartier: rng.pick(quartier_weights),
    }
}

/// The margins file staff would upload: sexe, age and quartier (the quartiers' population).
pub fn margins_csv(quartiers: &[(String, i64)]) -> String {
    let adults: i64 = quartiers.iter().map(|(_, n)| n).sum();
    let mut s = String::from("variable;modalite;effectif\n");
    s.push_str(&format!(
        "sexe;F;{}\n",
        (adults as f64 * WOMEN_SHARE).round()
    ));
    s.push_str(&format!(
        "sexe;H;{}\n",
        (adults as f64 * (1.0 - WOMEN_SHARE)).round()
    ));
    for (a, share) in AGES.iter().zip(AGE_SHARES) {
        s.push_str(&format!("age;{a};{}\n", (adults as f64 * share).round()));
    }
    for (name, n) in quartiers {
        s.push_str(&format!("quartier;{name};{n}\n"));
    }
    s
}

/// The panel's file as a polling firm would deliver it.
pub fn panel_csv(quartiers: &[(String, i64)], n: usize, seed: u64) -> String {
    let mut rng = Rng(seed);
    // Central quartiers answer panels more: weight the population by a bias falling with rank.
    let weights: Vec<f64> = quartiers
        .iter()
        .enumerate()
        .map(|(i, (_, pop))| *pop as f64 * (1.6 - 0.1 * i as f64).max(0.5))
        .collect();
    let mut out = String::from(
        "id;sexe;age;quartier;aide;isolement;formes;asso;confiance.ville;confiance.associations;confiance.voisins;priorites.logement;priorites.alimentation;priorites.isolement;priorites.emploi;heures;satisfaction\n",
    );
    for i in 0..n {
        let p = person(&mut rng, &weights, true);
        let a = answers(&mut rng, &p, false);
        let get = |k: &str| a.get(k).cloned().unwrap_or(serde_json::Value::Null);
        let text = |v: serde_json::Value| match v {
            serde_json::Value::String(s) => s,
            serde_json::Value::Number(n) => n
                .as_f64()
                .map(::survey::answers::format_number)
                .unwrap_or_default(),
            serde_json::Value::Array(l) => l
                .iter()
                .filter_map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join("|"),
            _ => String::new(),
        };
        let conf = get("confiance");
        let prio: Vec<String> = get("priorites")
            .as_array()
            .map(|l| {
                l.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let rank = |c: &str| {
            prio.iter()
                .position(|x| x == c)
                .map(|p| (p + 1).to_string())
                .unwrap_or_default()
        };
        let row = [
            format!("P{:04}", i + 1),
            if p.women { "F".into() } else { "H".into() },
            AGES[p.age].to_string(),
            quartiers[p.quartier].0.clone(),
            text(get("aide")),
            text(get("isolement")),
            text(get("formes")),
            text(get("asso")),
            text(conf.get("ville").cloned().unwrap_or_default()),
            text(conf.get("associations").cloned().unwrap_or_default()),
            text(conf.get("voisins").cloned().unwrap_or_default()),
            rank("logement"),
            rank("alimentation"),
            rank("isolement"),
            rank("emploi"),
            text(get("heures")),
            text(get("satisfaction")),
        ];
        out.push_str(&row.join(";"));
        out.push('\n');
    }
    out
}

/// Loads the survey into the demo debate, unless it is there already.
pub async fn load(store: &Store, debate_id: i64) -> Result<(), StoreError> {
    if store.survey_by_slug(SLUG).await?.is_some() {
        return Ok(());
    }
    let admin = store
        .users_with_role(Role::Admin)
        .await?
        .first()
        .map(|u| u.0)
        .unwrap_or(0);
    let subject = Subject {
        account: Some(Account {
            user_id: admin,
            roles: vec![Role::Admin],
            confirmed: true,
            blocked: false,
        }),
    };
    let fail = |e: surveys::SurveyError| match e {
        surveys::SurveyError::Store(e) => e,
        e => {
            tracing::error!(error = ?e, "the demo survey could not be loaded");
            StoreError::Conflict("demo survey")
        }
    };
    let id = surveys::create(
        store,
        &subject,
        &SurveyDraft {
            debate_id,
            slug: SLUG.into(),
            title: "Enquête : vos solidarités au quotidien".into(),
            title_en: "Survey: solidarity in your daily life".into(),
            intro: "Dix questions sur l'entraide, l'isolement et les associations, en cinq minutes. \
                    Un institut interroge en parallèle un échantillon représentatif de 1 100 Nantaises \
                    et Nantais : les deux séries de réponses sont comparées dans les résultats."
                .into(),
            anonymous: true,
            results_public: true,
        },
    )
    .await
    .map_err(fail)?;
    let title = |fr: &str, en: &str| ::survey::Text::new(fr, en);
    surveys::put_section(
        store,
        &subject,
        id,
        Some(0),
        &title("Vous et l'entraide", "You and mutual help"),
        &::survey::Text::default(),
    )
    .await
    .map_err(fail)?;
    surveys::put_section(
        store,
        &subject,
        id,
        None,
        &title("Les formes de solidarité", "Forms of solidarity"),
        &::survey::Text::default(),
    )
    .await
    .map_err(fail)?;
    surveys::put_section(
        store,
        &subject,
        id,
        None,
        &title("Vos priorités et vos idées", "Your priorities and ideas"),
        &::survey::Text::default(),
    )
    .await
    .map_err(fail)?;
    for (section, d) in questions() {
        surveys::put_question(store, &subject, id, section, None, &d)
            .await
            .map_err(fail)?;
    }
    surveys::set_status(store, &subject, id, Status::Open)
        .await
        .map_err(fail)?;
    let quartiers: Vec<(String, i64)> = store
        .quartiers()
        .await?
        .into_iter()
        .filter_map(|q| q.population.map(|p| (q.name, p)))
        .collect();
    if quartiers.is_empty() {
        return Ok(());
    }
    let panel = panel_csv(&quartiers, 1_100, 0x5EED_1100);
    surveys::import_panel(store, &subject, id, panel.as_bytes(), "id")
        .await
        .map_err(fail)?;
    let margins = margins_csv(&quartiers);
    surveys::weigh(
        store,
        &subject,
        id,
        margins.as_bytes(),
        &WeightingOptions {
            by: vec!["sexe".into(), "age".into(), "quartier".into()],
            trim: None,
        },
    )
    .await
    .map_err(fail)?;
    // The online respondents, answering anonymously (a browser token each).
    let mut rng = Rng(0x0DD_5EED);
    let weights: Vec<f64> = quartiers.iter().map(|(_, p)| *p as f64).collect();
    let mut tx = store.begin().await?;
    for i in 0..300 {
        let p = person(&mut rng, &weights, false);
        let a = answers(&mut rng, &p, true);
        let token = storage::hash_token(&format!("demo-online-{i}"));
        let rid = tx.insert_survey_response(id, None, Some(&token)).await?;
        let profile =
            serde_json::json!({ "quartier": quartiers[p.quartier].0, "age": AGES[p.age] });
        tx.submit_survey_response(rid, &a.to_string(), &profile.to_string())
            .await?;
    }
    tx.bump_survey_revision(id).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_panel_file_is_the_same_on_every_run_and_biased() {
        let q = vec![("Centre".to_string(), 30_000), ("Nord".to_string(), 30_000)];
        let a = super::panel_csv(&q, 400, 7);
        assert_eq!(a, super::panel_csv(&q, 400, 7));
        assert_eq!(a.lines().count(), 401);
        let women = a
            .lines()
            .skip(1)
            .filter(|l| l.split(';').nth(1) == Some("F"))
            .count();
        // 60 % drawn, against 53 % in the population: the bias the weighting corrects.
        assert!((200..280).contains(&women), "{women}");
        let centre = a
            .lines()
            .skip(1)
            .filter(|l| l.split(';').nth(3) == Some("Centre"))
            .count();
        assert!(
            centre > 200,
            "the first quartier is over-represented: {centre}"
        );
    }
}
