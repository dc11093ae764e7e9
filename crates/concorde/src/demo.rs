//! The demo instance: the city of Nantes' debate "Nantes ouvre le dialogue sur les solidarités"
//! (announcement of 15 October 2021), with its three guiding questions, seven participant
//! categories, eleven quartiers, phases shifted so that contributions are open today, an image
//! and the council's deliberation. Loaded only into an instance that has no debate of that slug.

use domain::{DebateStatus, PhaseKind};
use storage::{DebateFields, PhaseFields, Store, StoreError};

pub const SLUG: &str = "solidarites";

const QUARTIERS_CSV: &str = include_str!("../demo/nantes_quartiers.csv");
const IMAGE: &[u8] = include_bytes!("../demo/solidarites.png");
const DELIBERATION: &[u8] = include_bytes!("../demo/deliberation-2021-10-15.pdf");

const SUMMARY: &str = "La crise sanitaire a récemment rappelé que des inégalités persistent en \
France et creusent une vraie fracture sociale. Cinq mois de débats sur le thème des solidarités \
à Nantes à suivre !";

const BODY: &str = "« C’est quoi la précarité et l’isolement aujourd’hui ? », « comment s’engager \
pour la solidarité en 2021 ? », voici les grandes questions qui rythmeront ces mois de débats, de \
rencontres et d’ateliers sur le thème des solidarités à Nantes.

La crise sanitaire l’a récemment rappelé : des inégalités persistent en France et creusent une \
vraie fracture sociale. En parallèle de l’action de la municipalité, de nouvelles pratiques \
d’entraides citoyennes ont émergé ces derniers mois pour aider les personnes isolées ou en \
situations de précarité. On peut citer, par exemple, la Surprenante épicerie, qui assure une \
distribution alimentaire auprès des étudiants, ou encore la plateforme Nantes entraide qui \
permettaient aux habitants de se rendre des services. Autant de projets qui ont poussé la Ville \
à réinterroger la question de la solidarité. « Aujourd’hui, on ne peut plus concevoir les \
solidarités comme il y a quelques années car les besoins, les profils et les solutions à apporter \
sont différentes et plus complexes » pointe Abassiah Hakem, adjointe aux solidarités et à \
l’inclusion sociale.

Durant 5 mois, citoyens, acteurs du territoire et élus seront donc invités à débattre à partir de \
la fin de l’année 2021.

## 5 mois de participation citoyenne

- **Novembre 2021** : lancement d’une enquête auprès de 1 100 Nantaises et Nantais au sujet des \
pratiques d’engagement solidaire à Nantes.
- **Janvier à mai 2022** : les citoyens pourront participer au débat en déposant des contributions \
individuelles ou collectives sur la plateforme « dialogue citoyen ». En parallèle, quatre ateliers \
et des événements de médiation seront organisés dans les différents quartiers de la ville.
- **Printemps 2022** : grand temps fort de la démarche, les Assises de la solidarité seront \
ouvertes à tous et rythmées par des conférences, des tables-rondes et des ateliers.
- **Septembre/octobre 2022** : le rapport final de la démarche sera remis. Il dressera un \
diagnostic et donnera des préconisations pour mener des actions concrètes sur le territoire \
nantais dès 2023. Un appel à projet sera lancé pour encourager des initiatives locales.
";

const QUESTIONS: [&str; 3] = [
    "Qu’est-ce que la précarité aujourd’hui ?",
    "Comment s’engager en 2021 ?",
    "Demain, quelles solutions pour lutter contre l’isolement et améliorer les conditions de vie de chacun ?",
];

const CATEGORIES: [(&str, &str); 7] = [
    (
        "Habitants directement concernés par la précarité, l’isolement et l’engagement solidaire",
        "Residents directly concerned by precarity, isolation and solidarity",
    ),
    (
        "Acteurs sociaux et associatifs des solidarités",
        "Social and voluntary-sector actors",
    ),
    (
        "Acteurs émergents, collectifs citoyens, nouvelles associations",
        "Emerging actors, citizen collectives, new associations",
    ),
    (
        "Entreprises, commerçants de proximité, restaurateurs",
        "Businesses, local shops, restaurants",
    ),
    (
        "Professionnels de l’aide et du travail social (services publics ou associatifs)",
        "Social-work professionals (public services or associations)",
    ),
    (
        "Partenaires institutionnels (Département, services de l’État)",
        "Institutional partners (Département, State services)",
    ),
    (
        "Sociologues, historiens et philosophes",
        "Sociologists, historians and philosophers",
    ),
];

const DAY: i64 = 86_400;

/// (kind, title, description, start offset in days from today, end offset in days).
const PHASES: [(PhaseKind, &str, &str, i64, i64); 6] = [
    (
        PhaseKind::Survey,
        "Enquête auprès de 1 100 Nantaises et Nantais",
        "Une enquête sur les pratiques d’engagement solidaire à Nantes.",
        -75,
        -31,
    ),
    (
        PhaseKind::Contributions,
        "Contributions individuelles et collectives",
        "Déposez une contribution individuelle ou, au nom d’une organisation, un cahier d’acteur.",
        -30,
        120,
    ),
    (
        PhaseKind::Workshops,
        "Ateliers et médiations dans les quartiers",
        "Quatre ateliers et des événements de médiation dans les différents quartiers de la ville.",
        -5,
        100,
    ),
    (
        PhaseKind::Assises,
        "Assises de la solidarité",
        "Conférences, tables rondes et ateliers, ouverts à tous.",
        130,
        132,
    ),
    (
        PhaseKind::Report,
        "Rapport final : diagnostic et préconisations",
        "Le rapport dressera un diagnostic et donnera des préconisations pour des actions concrètes.",
        240,
        300,
    ),
    (
        PhaseKind::CallForProjects,
        "Appel à projets pour les initiatives locales",
        "Un appel à projets pour encourager les initiatives locales de solidarité.",
        330,
        450,
    ),
];

/// What `load` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Loaded,
    AlreadyThere,
}

/// Parses the quartiers file: name, area (km²), population.
pub fn quartiers() -> Vec<(String, Option<f64>, Option<i64>)> {
    QUARTIERS_CSV
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut cols = line.splitn(4, ',');
            let name = cols.next()?.trim().to_string();
            let area = cols.next().and_then(|a| a.trim().parse().ok());
            let pop = cols.next().and_then(|p| p.trim().parse().ok());
            (!name.is_empty()).then_some((name, area, pop))
        })
        .collect()
}

/// The whole demo: the debate, then its events (workshops, mediation, the Assises).
pub async fn load_all(store: &Store, now: i64) -> Result<Outcome, StoreError> {
    let outcome = load(store, now).await?;
    if let (Outcome::Loaded, Some(d)) = (&outcome, store.debate_by_slug(SLUG).await?) {
        let quartiers: Vec<i64> = store.quartiers().await?.iter().map(|q| q.id).collect();
        let categories: Vec<i64> = store.categories().await?.iter().map(|c| c.id).collect();
        crate::demo_events::load(store, d.id, now, &quartiers, &categories).await?;
        crate::demo_report::load(store, d.id, &quartiers, &categories).await?;
        crate::demo_survey::load(store, d.id).await?;
    }
    Ok(outcome)
}

/// The demo debate alone (the tests start from it).
pub async fn load(store: &Store, now: i64) -> Result<Outcome, StoreError> {
    if store.debate_by_slug(SLUG).await?.is_some() {
        return Ok(Outcome::AlreadyThere);
    }
    // Lists are shared by the instance; fill them only if they are empty.
    let mut category_ids = Vec::new();
    if store.categories().await?.is_empty() {
        for (fr, en) in CATEGORIES {
            category_ids.push(store.add_category(fr, en).await?);
        }
    } else {
        category_ids = store.categories().await?.iter().map(|c| c.id).collect();
    }
    let mut quartier_ids = Vec::new();
    if store.quartiers().await?.is_empty() {
        for (name, area, pop) in quartiers() {
            quartier_ids.push(store.add_quartier(&name, pop, area).await?);
        }
    } else {
        quartier_ids = store.quartiers().await?.iter().map(|q| q.id).collect();
    }

    let id = store
        .create_debate(&DebateFields {
            slug: SLUG.into(),
            title: "Nantes ouvre le dialogue sur les solidarités".into(),
            summary: SUMMARY.into(),
            body_md: BODY.into(),
            status: DebateStatus::Published,
            image_alt: String::new(),
        })
        .await?;
    let questions: Vec<(Option<i64>, String, i64)> = QUESTIONS
        .iter()
        .enumerate()
        .map(|(i, q)| (None, q.to_string(), i as i64 + 1))
        .collect();
    store.save_questions(id, &questions, &[]).await?;
    // Phases start at midnight UTC so the demo looks the same all day.
    let today = now - now.rem_euclid(DAY);
    let phases: Vec<(Option<i64>, PhaseFields)> = PHASES
        .iter()
        .map(|(kind, title, description, from, to)| {
            (
                None,
                PhaseFields {
                    kind: *kind,
                    title: title.to_string(),
                    description: description.to_string(),
                    starts_at: today + from * DAY,
                    ends_at: today + to * DAY,
                },
            )
        })
        .collect();
    store.save_phases(id, &phases, &[]).await?;
    store
        .set_debate_audience(id, &category_ids, &quartier_ids)
        .await?;
    let image = store
        .insert_file(storage::NewFile {
            debate_id: Some(id),
            purpose: "image",
            title: "",
            filename: "solidarites.png",
            content_type: "image/png",
            data: IMAGE,
            uploaded_by: None,
        })
        .await?;
    store.set_debate_image(id, Some(image), "").await?;
    store
        .insert_file(storage::NewFile {
            debate_id: Some(id),
            purpose: "document",
            title: "la délibération du Conseil municipal du 15 octobre 2021",
            filename: "deliberation-2021-10-15.pdf",
            content_type: "application/pdf",
            data: DELIBERATION,
            uploaded_by: None,
        })
        .await?;
    store
        .audit(None, "demo.load", &format!("debate:{id}"), SLUG)
        .await?;
    Ok(Outcome::Loaded)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_eleven_quartiers_parse() {
        let q = super::quartiers();
        assert_eq!(q.len(), 11);
        assert_eq!(q[0].0, "Centre-ville");
        assert_eq!(q[0].2, Some(28485));
        assert!(q.iter().any(|(n, _, _)| n == "Île de Nantes"));
    }
}
