//! The demo's final report: a few more contributions (online and on paper), a run of the
//! synthesis engine on them, a published version whose findings cite contributions, a theme and
//! the workshop held last week, a draft going on after it, the guarantor's published opinion and
//! sign-off, and two recommendations the city answered, with commitments at different stages.
//! Written through the store directly, as the rest of the demo (no account needs to exist yet);
//! the guarantor's account is a demo account nobody can sign in with.

use report::VersionState;
use storage::{CommitmentFields, NewCitation, Store, StoreError};

const CONTRIBUTIONS: [(&str, &str, &str); 8] = [
    (
        "Seule le dimanche",
        "Depuis que je suis à la retraite je vis seule. Le dimanche, personne ne passe et tout est fermé : c'est le jour le plus long de la semaine.",
        "paper",
    ),
    (
        "Les soirées d'hiver",
        "L'hiver, après 18 heures, il n'y a plus aucun lieu chauffé où se retrouver dans le quartier. On reste chez soi, seul devant la télévision.",
        "online",
    ),
    (
        "Un café solidaire ouvert tard",
        "Un café associatif ouvert le soir et le dimanche permettrait de rompre l'isolement des personnes âgées et des jeunes seuls.",
        "online",
    ),
    (
        "Les démarches en ligne",
        "Pour renouveler mes droits je dois tout faire en ligne, mais je n'ai pas d'ordinateur et je ne sais pas m'en servir. Je renonce souvent.",
        "paper",
    ),
    (
        "Fracture numérique",
        "La dématérialisation des démarches exclut une partie des habitants : il faut des permanences avec des personnes pour aider, dans chaque quartier.",
        "online",
    ),
    (
        "Aide aux démarches",
        "Les bénévoles de l'association aident chaque semaine des dizaines de personnes pour leurs démarches en ligne : nous manquons de lieux et d'ordinateurs.",
        "online",
    ),
    (
        "Repas partagés",
        "Des repas partagés une fois par mois à la maison de quartier, ce serait simple et cela créerait du lien entre voisins.",
        "paper",
    ),
    (
        "Un ordinateur en accès libre",
        "Mettre des ordinateurs en accès libre avec quelqu'un pour aider, à la médiathèque ou au centre social, le soir après le travail.",
        "online",
    ),
];

fn day(y: i16, m: i8, d: i8) -> i64 {
    app::report_followup::day(jiff::civil::date(y, m, d))
}

pub async fn load(
    store: &Store,
    debate_id: i64,
    quartiers: &[i64],
    categories: &[i64],
) -> Result<(), StoreError> {
    let questions = store.questions(debate_id).await?;
    let Some(first) = questions.first().map(|q| q.id) else {
        return Ok(());
    };
    let question = |i: usize| {
        questions
            .get(i % questions.len())
            .map(|q| q.id)
            .unwrap_or(first)
    };
    let mut ids = Vec::new();
    for (i, (title, body, channel)) in CONTRIBUTIONS.iter().enumerate() {
        ids.push(
            store
                .insert_contribution(&storage::NewContribution {
                    debate_id,
                    question_id: question(if i < 3 { 0 } else { 1 }),
                    kind: "individual",
                    channel,
                    title,
                    body,
                    category_id: categories.get(i % categories.len().max(1)).copied(),
                    quartier_id: quartiers.get((i * 3) % quartiers.len().max(1)).copied(),
                    place: if *channel == "paper" {
                        "Urne de la mairie annexe"
                    } else {
                        ""
                    },
                    ..Default::default()
                })
                .await?,
        );
    }
    // A run of the engine on the debate, for a theme to cite.
    let settings = analysis::Settings {
        min_themes: 2,
        max_themes: 2,
        seed: 7,
        ..Default::default()
    };
    let run = match app::synthesis::run_on_debate(store, debate_id, settings, None).await {
        Ok((run, result)) => Some((run, result)),
        Err(e) => {
            tracing::warn!(error = %e, "demo report: no theme to cite");
            None
        }
    };
    let held = store
        .agenda(&storage::AgendaFilter {
            debate_id,
            past: true,
            now: storage::now(),
            limit: 50,
            ..Default::default()
        })
        .await?
        .0
        .into_iter()
        .find(|e| !e.minutes.is_empty())
        .map(|e| e.id);

    let mut tx = store.begin().await?;
    let draft = tx.ensure_report_draft(debate_id, None).await?;
    let diagnosis = tx
        .insert_report_section(
            draft,
            "diagnosis",
            "Une précarité qui change de visage",
            "La crise sanitaire a rendu visibles des **isolements ordinaires** : personnes âgées \
             seules, jeunes sans réseau, habitants que la dématérialisation éloigne de leurs \
             droits.\n\nCe diagnostic s'appuie sur les contributions en ligne, sur papier et en \
             atelier, lues une à une.",
            None,
        )
        .await?;
    let lonely = tx
        .insert_report_section(
            draft,
            "finding",
            "L'isolement du soir et du dimanche",
            "Le soir et le dimanche reviennent dans de nombreuses contributions comme les moments \
             où **plus aucun lieu n'accueille**.",
            None,
        )
        .await?;
    let digital = tx
        .insert_report_section(
            draft,
            "finding",
            "Le numérique, un obstacle aux droits",
            "La dématérialisation des démarches fait renoncer à des droits ceux qui n'ont ni \
             équipement ni aide.",
            None,
        )
        .await?;
    let open_late = tx
        .insert_report_section(
            draft,
            "recommendation",
            "Ouvrir des lieux d'accueil le soir et le dimanche",
            "Ouvrir, à l'essai puis durablement, des maisons de quartier et des cafés \
             associatifs le soir et le dimanche.",
            None,
        )
        .await?;
    let help = tx
        .insert_report_section(
            draft,
            "recommendation",
            "Des permanences d'aide numérique dans chaque quartier",
            "Des permanences avec des personnes pour aider aux démarches, et des ordinateurs en \
             accès libre.",
            None,
        )
        .await?;
    let cite = |section: i64, id: i64, excerpt: &str| NewCitation {
        section_id: section,
        kind: "contribution".into(),
        contribution_id: Some(id),
        excerpt: excerpt.into(),
        ..NewCitation::default()
    };
    for c in [
        cite(
            lonely,
            ids[0],
            "Le dimanche, personne ne passe et tout est fermé",
        ),
        cite(
            lonely,
            ids[1],
            "après 18 heures, il n'y a plus aucun lieu chauffé",
        ),
        cite(
            digital,
            ids[3],
            "je n'ai pas d'ordinateur et je ne sais pas m'en servir. Je renonce souvent.",
        ),
        cite(
            digital,
            ids[4],
            "il faut des permanences avec des personnes pour aider",
        ),
    ] {
        tx.insert_report_citation(&c, None).await?;
    }
    if let Some(event) = held {
        tx.insert_report_citation(
            &NewCitation {
                section_id: lonely,
                kind: "event".into(),
                event_id: Some(event),
                ..NewCitation::default()
            },
            None,
        )
        .await?;
    }
    if let Some((run, result)) = &run
        && let Some(t) = result.themes.first()
    {
        let members: Vec<i64> = result
            .documents
            .ids
            .iter()
            .zip(&result.documents.theme)
            .filter(|(_, th)| **th == 0)
            .filter_map(|(id, _)| id.parse().ok())
            .collect();
        tx.insert_theme_members(*run, 0, &members).await?;
        let counts = |m: &std::collections::BTreeMap<String, usize>| -> Vec<(String, i64)> {
            m.iter().map(|(k, n)| (k.clone(), *n as i64)).collect()
        };
        let figures = report::Figures {
            channel: counts(&t.breakdown.channel),
            question: counts(&t.breakdown.question),
            category: counts(&t.breakdown.category),
            quartier: counts(&t.breakdown.quartier),
        };
        tx.insert_report_citation(
            &NewCitation {
                section_id: digital,
                kind: "theme".into(),
                run_id: Some(*run),
                theme: Some(0),
                label: format!("{}\u{1f}{}", t.label, t.size),
                figures: serde_json::to_string(&figures).unwrap_or_default(),
                ..NewCitation::default()
            },
            None,
        )
        .await?;
    }
    tx.set_section_links(open_late, &[lonely]).await?;
    tx.set_section_links(help, &[digital]).await?;
    tx.commit().await?;

    // Publish version 1 with its snapshot; the draft (version 2) goes on.
    let v = store
        .report_draft(debate_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let snap = app::report::build_snapshot(store, &v, VersionState::Published)
        .await
        .map_err(|e| match e {
            app::report::ReportError::Store(s) => s,
            _ => StoreError::NotFound,
        })?;
    let guarantor = store
        .create_user(storage::NewUser {
            email: "garante.demo@concorde.invalid",
            // Not a password hash: nobody signs in with this demo account.
            password_hash: "!demo",
            display_name: "Claire Garnier (garante, démo)",
            lang: "fr",
            confirmed: true,
        })
        .await?;
    store
        .grant_role(guarantor, domain::Role::Guarantor, None)
        .await?;
    let mut tx = store.begin().await?;
    tx.freeze_report_draft(
        debate_id,
        "published",
        &snap.to_json(),
        "Première publication",
        None,
    )
    .await?;
    for s in [diagnosis, lonely, digital] {
        tx.sign_off_section(s, guarantor, "Vérifié sur les contributions citées.")
            .await?;
    }
    tx.save_opinion(
        debate_id,
        guarantor,
        "Le rapport rend compte de la diversité des contributions reçues en ligne, sur papier et \
         en atelier. Chaque constat renvoie à ses sources ; l'audit de couverture montre ce qui \
         n'a pas été retenu, avec les raisons.\n\nNous recommandons que la Ville publie \
         l'avancement de ses engagements chaque trimestre.",
        true,
    )
    .await?;
    tx.save_answer(debate_id, open_late, "accepted", "", None)
        .await?;
    tx.save_answer(
        debate_id,
        help,
        "partly",
        "Les permanences ouvrent d'abord dans quatre quartiers prioritaires ; les ordinateurs en \
         accès libre attendent le budget 2028.",
        None,
    )
    .await?;
    let evenings = tx
        .insert_commitment(
            debate_id,
            open_late,
            &CommitmentFields {
                title: "Ouverture en soirée et le dimanche de deux maisons de quartier".into(),
                description: "À l'essai pendant six mois à Nantes Nord et à Bellevue, puis bilan."
                    .into(),
                department: "Direction de la vie associative et des quartiers".into(),
                budget_euros: Some(85_000),
                quartier_id: quartiers.get(4).copied(),
                starts_at: Some(day(2027, 1, 4)),
                ends_at: Some(day(2027, 6, 30)),
                status: "in_progress".into(),
                progress: 60,
            },
        )
        .await?;
    tx.insert_milestone(
        evenings,
        day(2027, 1, 4),
        "Ouverture le soir à Nantes Nord",
        "",
    )
    .await?;
    tx.insert_milestone(
        evenings,
        day(2027, 2, 7),
        "Premier dimanche ouvert à Bellevue",
        "",
    )
    .await?;
    let desks = tx
        .insert_commitment(
            debate_id,
            help,
            &CommitmentFields {
                title: "Permanences d'aide aux démarches en ligne".into(),
                description: "Quatre permanences hebdomadaires avec des médiateurs numériques."
                    .into(),
                department: "Centre communal d'action sociale".into(),
                budget_euros: Some(40_000),
                quartier_id: None,
                starts_at: Some(day(2026, 9, 1)),
                ends_at: Some(day(2026, 12, 15)),
                status: "done".into(),
                progress: 100,
            },
        )
        .await?;
    tx.insert_milestone(desks, day(2026, 9, 1), "Recrutement de deux médiateurs", "")
        .await?;
    tx.insert_milestone(desks, day(2026, 12, 15), "Quatre permanences ouvertes", "")
        .await?;
    tx.insert_commitment(
        debate_id,
        help,
        &CommitmentFields {
            title: "Ordinateurs en accès libre dans les médiathèques".into(),
            description: String::new(),
            department: "Direction des bibliothèques".into(),
            budget_euros: None,
            quartier_id: None,
            starts_at: Some(day(2028, 1, 15)),
            ends_at: None,
            status: "planned".into(),
            progress: 0,
        },
    )
    .await?;
    tx.audit(
        None,
        "report.demo",
        &format!("debate:{debate_id}"),
        "demo report loaded",
    )
    .await?;
    tx.commit().await?;

    // The draft goes on: the diagnosis is being reworded.
    let v2 = store
        .report_draft(debate_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let copy = store
        .report_sections(v2.id)
        .await?
        .into_iter()
        .find(|s| s.key == diagnosis)
        .map(|s| s.id);
    if let Some(copy) = copy {
        let mut tx = store.begin().await?;
        tx.update_report_section(
            copy,
            "diagnosis",
            "Une précarité qui change de visage",
            "La crise sanitaire a rendu visibles des **isolements ordinaires** : personnes âgées \
             seules, jeunes sans réseau, habitants que la dématérialisation éloigne de leurs \
             droits.\n\nLes ateliers de quartier ont confirmé ce que disaient les contributions \
             écrites.",
            None,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}
