//! The demo's events: the seed's four neighbourhood workshops (one of them full, with people on
//! its waiting list) and a mediation event at a market during the contributions phase, one
//! workshop already held with its attendance and minutes turned into contributions, and a
//! two-day Assises programme with its speakers.

use storage::{EventFields, NewRegistration, Speaker, Store, StoreError};

const DAY: i64 = 86_400;

/// Unix seconds of `hour:minute`, Paris time, `days` days after `now`'s day.
fn local(now: i64, days: i64, hour: i8, minute: i8) -> i64 {
    let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
    let Ok(t) = jiff::Timestamp::from_second(now + days * DAY) else {
        return now;
    };
    let date = t.to_zoned(tz.clone()).date();
    date.at(hour, minute, 0, 0)
        .to_zoned(tz)
        .map(|z| z.timestamp().as_second())
        .unwrap_or(now)
}

struct Workshop {
    title: &'static str,
    quartier: usize,
    address: &'static str,
    days: i64,
    capacity: Option<i64>,
    /// How many people registered (beyond the capacity, they wait).
    registered: usize,
}

const WORKSHOPS: [Workshop; 4] = [
    Workshop {
        title: "Atelier : la précarité et l’isolement aujourd’hui",
        quartier: 0,
        address: "Maison de quartier de l’Île, 2 rue Conan Mériadec, Nantes",
        days: 7,
        capacity: Some(12),
        registered: 15,
    },
    Workshop {
        title: "Atelier : s’engager pour la solidarité en 2021",
        quartier: 3,
        address: "Salle municipale du Breil, 27 rue du Breil, Nantes",
        days: 14,
        capacity: Some(25),
        registered: 9,
    },
    Workshop {
        title: "Atelier : entraide entre voisins",
        quartier: 6,
        address: "Centre socioculturel Bottière, 45 rue de la Bottière, Nantes",
        days: 21,
        capacity: Some(20),
        registered: 4,
    },
    Workshop {
        title: "Atelier : jeunesse et précarité étudiante",
        quartier: 8,
        address: "Pôle associatif Désiré Colombe, 8 rue Arsène Leloup, Nantes",
        days: 28,
        capacity: Some(30),
        registered: 0,
    },
];

/// A session of the Assises, `day` days from today.
struct Session {
    kind: &'static str,
    title: &'static str,
    day: i64,
    start: (i8, i8),
    end: (i8, i8),
    room: &'static str,
    capacity: Option<i64>,
    /// Indexes into the programme's speakers.
    speakers: &'static [usize],
}

const SESSIONS: [Session; 6] = [
    Session {
        kind: "conference",
        title: "Ouverture : la précarité aujourd’hui à Nantes",
        day: 130,
        start: (9, 30),
        end: (10, 30),
        room: "Grand auditorium",
        capacity: None,
        speakers: &[0, 1],
    },
    Session {
        kind: "round_table",
        title: "Table ronde : s’engager autrement",
        day: 130,
        start: (11, 0),
        end: (12, 30),
        room: "Salle 200",
        capacity: Some(150),
        speakers: &[2, 3],
    },
    Session {
        kind: "session_workshop",
        title: "Atelier : l’isolement des aînés",
        day: 130,
        start: (14, 0),
        end: (16, 0),
        room: "Salle 150",
        capacity: Some(40),
        speakers: &[1],
    },
    Session {
        kind: "session_workshop",
        title: "Atelier : l’aide alimentaire",
        day: 130,
        start: (14, 0),
        end: (16, 0),
        room: "Salle 160",
        capacity: Some(40),
        speakers: &[3],
    },
    Session {
        kind: "round_table",
        title: "Table ronde : agir dans son quartier",
        day: 131,
        start: (10, 0),
        end: (12, 0),
        room: "Salle 200",
        capacity: Some(150),
        speakers: &[2],
    },
    Session {
        kind: "conference",
        title: "Clôture : les préconisations du débat",
        day: 131,
        start: (15, 0),
        end: (16, 30),
        room: "Grand auditorium",
        capacity: None,
        speakers: &[0],
    },
];

const NAMES: [&str; 15] = [
    "Aïcha B.",
    "Bernard L.",
    "Chloé M.",
    "Djibril S.",
    "Élise R.",
    "Fabien G.",
    "Gaëlle T.",
    "Hugo P.",
    "Inès K.",
    "Jean D.",
    "Karima O.",
    "Louis V.",
    "Maëlle C.",
    "Nordine A.",
    "Océane F.",
];

fn fields(debate_id: i64, kind: &str, title: &str, start: i64, end: i64) -> EventFields {
    EventFields {
        debate_id,
        kind: kind.into(),
        title: title.into(),
        starts_at: start,
        ends_at: end,
        reminder_hours: 24,
        accessibility: "step_free".into(),
        ..EventFields::default()
    }
}

pub async fn load(
    store: &Store,
    debate_id: i64,
    now: i64,
    quartiers: &[i64],
    categories: &[i64],
) -> Result<(), StoreError> {
    let questions = store.questions(debate_id).await?;
    let q = |i: usize| questions.get(i).map(|q| q.id);
    let quartier = |i: usize| quartiers.get(i % quartiers.len().max(1)).copied();
    let category = |i: usize| categories.get(i % categories.len().max(1)).copied();
    let facilitators = store.users_with_role(domain::Role::Facilitator).await?;
    let mut tx = store.begin().await?;
    for (n, w) in WORKSHOPS.iter().enumerate() {
        let mut f = fields(
            debate_id,
            "workshop",
            w.title,
            local(now, w.days, 18, 0),
            local(now, w.days, 20, 30),
        );
        f.description = "Un atelier ouvert à toutes et tous, animé par la Ville et les \
            associations du quartier, pour partager ce que vous vivez et ce que vous proposez. \
            Un goûter est offert."
            .into();
        f.question_id = q(n % 3);
        f.quartier_id = quartier(w.quartier);
        f.address = w.address.into();
        f.access_notes = "Tram ou bus à proximité ; entrée principale de plain-pied.".into();
        f.accessibility = "step_free,hearing_loop,childcare".into();
        f.capacity = w.capacity;
        f.reminder_text = "Pensez à venir 10 minutes avant le début.".into();
        let id = tx.insert_event(&f, None).await?;
        tx.set_event_published(id, true).await?;
        let mine: Vec<i64> = facilitators.iter().map(|(u, _)| *u).take(1).collect();
        tx.set_event_facilitators(id, &mine).await?;
        for (i, name) in NAMES.iter().take(w.registered).enumerate() {
            tx.register(&NewRegistration {
                event_id: id,
                user_id: None,
                name: name.to_string(),
                email: format!("inscrit{}.{i}@example.org", n + 1),
                phone: String::new(),
                category_id: category(i),
                quartier_id: quartier(w.quartier),
                token_hash: storage::new_token().1,
                entered_by: None,
            })
            .await?;
        }
    }
    // "Aller vers": where people already are, no registration needed.
    let mut m = fields(
        debate_id,
        "mediation",
        "Stand de la solidarité au marché de Talensac",
        local(now, 3, 9, 0),
        local(now, 3, 12, 30),
    );
    m.description = "Venez nous parler de ce qui vous aide ou vous manque, entre deux courses : \
        des animateurs recueillent vos idées, sur papier ou à l’oral."
        .into();
    m.address = "Marché de Talensac, rue Talensac, Nantes".into();
    m.quartier_id = quartier(0);
    m.question_id = q(0);
    let id = tx.insert_event(&m, None).await?;
    tx.set_event_published(id, true).await?;

    // Held last week: attendance taken and what was said entered as contributions.
    let mut h = fields(
        debate_id,
        "workshop",
        "Atelier : les solidarités de proximité à Nantes Nord",
        local(now, -4, 18, 0),
        local(now, -4, 20, 0),
    );
    h.address = "Maison de quartier de la Boissière, Nantes".into();
    h.quartier_id = quartier(4);
    h.question_id = q(1);
    h.capacity = Some(20);
    let held = tx.insert_event(&h, None).await?;
    tx.set_event_published(held, true).await?;
    tx.set_event_status(held, "held").await?;
    for (i, name) in NAMES.iter().take(6).enumerate() {
        let (rid, _) = tx
            .register(&NewRegistration {
                event_id: held,
                user_id: None,
                name: name.to_string(),
                email: format!("nord.{i}@example.org"),
                phone: String::new(),
                category_id: category(i),
                quartier_id: quartier(4),
                token_hash: storage::new_token().1,
                entered_by: None,
            })
            .await?;
        if i < 5 {
            tx.set_attended(rid, true).await?;
        }
    }
    for i in 0..3 {
        tx.add_walk_in(held, category(i + 2), quartier(4)).await?;
    }
    tx.set_event_minutes(
        held,
        "Huit personnes présentes. Trois idées sont revenues souvent : un lieu d’accueil \
         ouvert le soir, l’entraide pour les démarches en ligne, et des repas partagés.",
    )
    .await?;
    let said = [
        (
            "Un lieu d’accueil ouvert le soir",
            "Plusieurs habitants souhaitent un lieu chauffé et ouvert après 18 h, pour ne pas \
             rester seuls.",
        ),
        (
            "De l’aide pour les démarches en ligne",
            "Les démarches administratives en ligne sont un obstacle : des permanences avec des \
             bénévoles aideraient.",
        ),
        (
            "Des repas partagés entre voisins",
            "Des repas réguliers dans la maison de quartier créeraient du lien entre générations.",
        ),
    ];
    for (i, (title, body)) in said.iter().enumerate() {
        let Some(question_id) = q(1) else { break };
        let cid = tx
            .insert_contribution(&storage::NewContribution {
                debate_id,
                question_id,
                kind: "individual",
                channel: "workshop",
                title,
                body,
                category_id: category(i),
                quartier_id: quartier(4),
                place: "Atelier : les solidarités de proximité à Nantes Nord — Maison de quartier de la Boissière, Nantes",
                received_at: Some(h.starts_at),
                ..Default::default()
            })
            .await?;
        tx.set_contribution_event(cid, held).await?;
    }
    tx.touch(debate_id);

    // The Assises: two days of conferences, round tables and workshops.
    let programme = tx
        .insert_programme(
            debate_id,
            "assises-de-la-solidarite",
            "Assises de la solidarité",
            "Deux journées ouvertes à toutes et tous à la Cité des Congrès : conférences, tables \
             rondes et ateliers pour construire ensemble les préconisations du débat.",
            true,
        )
        .await?;
    let speakers = [
        (
            "Abassiah Hakem",
            "Adjointe aux solidarités et à l’inclusion sociale",
            "Ville de Nantes",
            "Élue en charge des solidarités.",
        ),
        (
            "Claire Dubois",
            "Sociologue",
            "Université de Nantes",
            "Travaille sur l’isolement des personnes âgées.",
        ),
        (
            "Samir Benali",
            "Coordinateur",
            "Nantes entraide",
            "Anime un réseau de 2 000 bénévoles.",
        ),
        (
            "Louise Martin",
            "Directrice",
            "La Surprenante épicerie",
            "Distribution alimentaire pour les étudiants.",
        ),
    ];
    let mut speaker_ids = Vec::new();
    for (name, role, org, bio) in speakers {
        speaker_ids.push(
            tx.insert_speaker(&Speaker {
                id: 0,
                programme_id: programme,
                name: name.into(),
                role: role.into(),
                organisation: org.into(),
                bio: bio.into(),
                photo_file_id: None,
            })
            .await?,
        );
    }
    for s in SESSIONS {
        let (kind, title, day, room, capacity, who) =
            (s.kind, s.title, s.day, s.room, s.capacity, s.speakers);
        let ((h1, m1), (h2, m2)) = (s.start, s.end);
        let mut f = fields(
            debate_id,
            kind,
            title,
            local(now, day, h1, m1),
            local(now, day, h2, m2),
        );
        f.programme_id = Some(programme);
        f.address = "Cité des Congrès, 5 rue de Valmy, Nantes".into();
        f.room = room.into();
        f.capacity = capacity;
        f.accessibility = "step_free,hearing_loop,interpreting".into();
        f.description = "Séance des Assises de la solidarité, ouverte à toutes et tous.".into();
        f.question_id = q(2);
        let id = tx.insert_event(&f, None).await?;
        tx.set_event_published(id, true).await?;
        for s in who {
            if let Some(sid) = speaker_ids.get(*s) {
                tx.add_session_speaker(id, *sid).await?;
            }
        }
    }
    tx.audit(None, "demo.events", &format!("debate:{debate_id}"), "")
        .await?;
    tx.commit().await?;
    Ok(())
}
