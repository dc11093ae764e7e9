//! Events (workshops, mediation events, the sessions of a programme), their registrations with a
//! waiting list in arrival order, attendance and walk-ins, programmes and speakers.
//!
//! Capacity holds under concurrency: a registration and a cancellation lock their event's row
//! (`FOR UPDATE` on PostgreSQL; SQLite's write transactions are serial already), count the
//! confirmed places and decide inside that lock, so two instances cannot both give the last place.

use crate::{Backend, Result, Store, StoreError, Tx, now};

/// What staff type in for an event, already checked (see `events::EventDraft::validate`).
#[derive(Debug, Clone, Default)]
pub struct EventFields {
    pub debate_id: i64,
    pub programme_id: Option<i64>,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub question_id: Option<i64>,
    pub quartier_id: Option<i64>,
    pub address: String,
    pub access_notes: String,
    pub accessibility: String,
    pub room: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub online_link: String,
    pub capacity: Option<i64>,
    pub registration_opens: Option<i64>,
    pub registration_closes: Option<i64>,
    pub reminder_hours: i64,
    pub reminder_text: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub debate_id: i64,
    pub debate_slug: String,
    pub debate_title: String,
    pub debate_status: String,
    pub programme_id: Option<i64>,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub question_id: Option<i64>,
    pub question: Option<String>,
    pub quartier_id: Option<i64>,
    pub quartier: Option<String>,
    pub address: String,
    pub access_notes: String,
    pub accessibility: String,
    pub room: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub online_link: String,
    pub image_file_id: Option<i64>,
    pub capacity: Option<i64>,
    pub registration_opens: Option<i64>,
    pub registration_closes: Option<i64>,
    pub reminder_hours: i64,
    pub reminder_text: String,
    pub status: String,
    pub published: i64,
    pub sequence: i64,
    pub minutes: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// Places taken and people waiting, at the time of the read.
    pub confirmed: i64,
    pub waiting: i64,
}

impl EventRow {
    pub fn is_published(&self) -> bool {
        self.published != 0
    }
}

/// An event's own columns; `select` adds the counts of places over the rows it keeps.
const COLUMNS: &str = "SELECT e.id, e.debate_id, d.slug AS debate_slug, d.title AS debate_title, \
     d.status AS debate_status, e.programme_id, e.kind, e.title, e.description, e.question_id, \
     q.text AS question, e.quartier_id, qu.name AS quartier, e.address, e.access_notes, \
     e.accessibility, e.room, e.starts_at, e.ends_at, e.online_link, e.image_file_id, e.capacity, \
     e.registration_opens, e.registration_closes, e.reminder_hours, e.reminder_text, e.status, \
     e.published, e.sequence, e.minutes, e.created_at, e.updated_at \
     FROM events e \
     JOIN debates d ON d.id = e.debate_id \
     LEFT JOIN debate_questions q ON q.id = e.question_id \
     LEFT JOIN quartiers qu ON qu.id = e.quartier_id";

/// Events chosen by `rest` (WHERE, ORDER BY, LIMIT), with the places taken and the people
/// waiting counted for those rows only — not for the rows an OFFSET skips.
fn select(rest: &str, order: &str) -> String {
    format!(
        "SELECT x.*, \
         (SELECT COUNT(*) FROM registrations r WHERE r.event_id = x.id AND r.state = 'confirmed') AS confirmed, \
         (SELECT COUNT(*) FROM registrations r WHERE r.event_id = x.id AND r.state = 'waiting') AS waiting \
         FROM ({COLUMNS} {rest}) x {order}"
    )
}

/// Which events an agenda lists.
#[derive(Debug, Clone, Default)]
pub struct AgendaFilter {
    /// 0: every debate.
    pub debate_id: i64,
    pub quartier_id: i64,
    /// Empty: every kind.
    pub kind: String,
    /// Past events (ended before `now`), newest first; otherwise upcoming ones, soonest first.
    pub past: bool,
    pub now: i64,
    /// Drafts and draft debates' events too (staff).
    pub include_drafts: bool,
    pub programme_id: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RegistrationRow {
    pub id: i64,
    pub event_id: i64,
    pub user_id: Option<i64>,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub category_id: Option<i64>,
    pub category: Option<String>,
    pub quartier_id: Option<i64>,
    pub quartier: Option<String>,
    pub state: String,
    pub attended: i64,
    pub entered_by: Option<i64>,
    pub created_at: i64,
}

const SELECT_REGISTRATION: &str = "SELECT r.id, r.event_id, r.user_id, r.name, r.email, r.phone, \
     r.category_id, c.name AS category, r.quartier_id, qu.name AS quartier, r.state, r.attended, \
     r.entered_by, r.created_at \
     FROM registrations r \
     LEFT JOIN categories c ON c.id = r.category_id \
     LEFT JOIN quartiers qu ON qu.id = r.quartier_id";

#[derive(Debug, Clone)]
pub struct NewRegistration {
    pub event_id: i64,
    pub user_id: Option<i64>,
    pub name: String,
    /// Lower-cased; empty when only a phone number was given.
    pub email: String,
    pub phone: String,
    pub category_id: Option<i64>,
    pub quartier_id: Option<i64>,
    /// The hash of the cancellation link's token.
    pub token_hash: String,
    /// Staff who registered someone by phone.
    pub entered_by: Option<i64>,
}

/// Where a registration landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    Confirmed,
    /// On the waiting list, at this position (1 = next to get a place).
    Waiting(i64),
}

/// Attendance of an event: registered people who came, and walk-ins, by category and quartier.
#[derive(Debug, Clone, Default)]
pub struct Attendance {
    pub registered_present: i64,
    pub walk_ins: i64,
    /// (category name or "", quartier name or "", count), most first.
    pub groups: Vec<(String, String, i64)>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Programme {
    pub id: i64,
    pub debate_id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub published: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Speaker {
    pub id: i64,
    pub programme_id: i64,
    pub name: String,
    pub role: String,
    pub organisation: String,
    pub bio: String,
    pub photo_file_id: Option<i64>,
}

impl Store {
    pub async fn event(&self, id: i64) -> Result<Option<EventRow>> {
        let q = select("WHERE e.id = $1", "");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// A page of an agenda, and whether there is more after it.
    pub async fn agenda(&self, f: &AgendaFilter) -> Result<(Vec<EventRow>, bool)> {
        let mut sql = String::from("WHERE 1 = 1");
        let mut ints: Vec<i64> = Vec::new();
        let mut bind = |sql: &mut String, cond: &str, v: i64| {
            ints.push(v);
            sql.push_str(&cond.replace('?', &format!("${}", ints.len())));
        };
        if f.debate_id != 0 {
            bind(&mut sql, " AND e.debate_id = ?", f.debate_id);
        }
        if f.quartier_id != 0 {
            bind(&mut sql, " AND e.quartier_id = ?", f.quartier_id);
        }
        if let Some(p) = f.programme_id {
            bind(&mut sql, " AND e.programme_id = ?", p);
        }
        if f.past {
            bind(&mut sql, " AND e.ends_at < ?", f.now);
        } else {
            bind(&mut sql, " AND e.ends_at >= ?", f.now);
        }
        if !f.include_drafts {
            sql.push_str(" AND e.published = 1 AND d.status = 'published'");
        }
        let kind_at = if f.kind.is_empty() {
            None
        } else {
            sql.push_str(&format!(" AND e.kind = ${}", ints.len() + 1));
            Some(ints.len() + 1)
        };
        let n = ints.len() + kind_at.map_or(0, |_| 1);
        let (inner, outer) = if f.past {
            (
                " ORDER BY e.starts_at DESC, e.id DESC",
                "ORDER BY x.starts_at DESC, x.id DESC",
            )
        } else {
            (" ORDER BY e.starts_at, e.id", "ORDER BY x.starts_at, x.id")
        };
        sql.push_str(inner);
        sql.push_str(&format!(" LIMIT ${} OFFSET ${}", n + 1, n + 2));
        // The page's ids first, from the events' own indexes; the joins and counts only for
        // the rows shown (an OFFSET would otherwise join every row it skips).
        let sql = format!(
            "WITH page AS (SELECT e.id FROM events e JOIN debates d ON d.id = e.debate_id {sql}) {}",
            select("WHERE e.id IN (SELECT id FROM page)", outer)
        );
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for v in &ints {
            q = q.bind(*v);
        }
        if kind_at.is_some() {
            q = q.bind(f.kind.clone());
        }
        let mut rows: Vec<EventRow> = q
            .bind(f.limit + 1)
            .bind(f.offset)
            .fetch_all(&self.pool)
            .await?;
        let more = rows.len() as i64 > f.limit;
        rows.truncate(f.limit.max(0) as usize);
        Ok((rows, more))
    }

    /// Every event of a debate, in programme order (staff lists, calendars).
    pub async fn debate_events(
        &self,
        debate_id: i64,
        include_drafts: bool,
    ) -> Result<Vec<EventRow>> {
        let drafts = if include_drafts {
            ""
        } else {
            " AND e.published = 1"
        };
        let q = select(
            &format!("WHERE e.debate_id = $1{drafts}"),
            "ORDER BY x.starts_at, x.id",
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(debate_id)
            .fetch_all(&self.pool)
            .await?)
    }

    /// A debate's events in figures, for its page: (upcoming, ended, people who came to those that
    /// ended — registered and present, and walk-ins).
    pub async fn debate_event_figures(&self, debate_id: i64, now: i64) -> Result<(i64, i64, i64)> {
        let (upcoming, ended): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN ends_at >= $2 THEN 1 ELSE 0 END), 0), \
                    COALESCE(SUM(CASE WHEN ends_at < $2 THEN 1 ELSE 0 END), 0) \
             FROM events WHERE debate_id = $1 AND published = 1 AND status <> 'cancelled'",
        )
        .bind(debate_id)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        let people: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM registrations r JOIN events e ON e.id = r.event_id \
                     WHERE e.debate_id = $1 AND e.published = 1 AND r.attended = 1) + \
                    (SELECT COUNT(*) FROM event_walk_ins w JOIN events e ON e.id = w.event_id \
                     WHERE e.debate_id = $1 AND e.published = 1)",
        )
        .bind(debate_id)
        .fetch_one(&self.pool)
        .await?;
        Ok((upcoming, ended, people))
    }

    pub async fn event_facilitators(&self, event_id: i64) -> Result<Vec<(i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT u.id, u.display_name FROM event_facilitators f JOIN users u ON u.id = f.user_id \
             WHERE f.event_id = $1 ORDER BY u.display_name",
        )
        .bind(event_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// (id, title) of the events this person facilitates, from the most recent ones that ended
    /// a week ago onwards, soonest first.
    pub async fn facilitated_events(&self, user_id: i64) -> Result<Vec<(i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT e.id, e.title FROM event_facilitators f JOIN events e ON e.id = f.event_id \
             WHERE f.user_id = $1 AND e.ends_at >= $2 ORDER BY e.starts_at, e.id LIMIT 50",
        )
        .bind(user_id)
        .bind(now() - 7 * 86_400)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn is_event_facilitator(&self, event_id: i64, user_id: i64) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM event_facilitators WHERE event_id = $1 AND user_id = $2",
        )
        .bind(event_id)
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// Registrations of an event in arrival order, cancelled ones last.
    pub async fn registrations(&self, event_id: i64) -> Result<Vec<RegistrationRow>> {
        let q = format!(
            "{SELECT_REGISTRATION} WHERE r.event_id = $1 \
             ORDER BY CASE r.state WHEN 'confirmed' THEN 0 WHEN 'waiting' THEN 1 ELSE 2 END, r.id"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(event_id)
            .fetch_all(&self.pool)
            .await?)
    }

    pub async fn registration(&self, id: i64) -> Result<Option<RegistrationRow>> {
        let q = format!("{SELECT_REGISTRATION} WHERE r.id = $1");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    pub async fn registration_by_token(&self, token: &str) -> Result<Option<RegistrationRow>> {
        let q = format!("{SELECT_REGISTRATION} WHERE r.token_hash = $1");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(crate::hash_token(token))
            .fetch_optional(&self.pool)
            .await?)
    }

    /// This person's registration for an event that is not cancelled, if any.
    pub async fn registration_of_user(
        &self,
        event_id: i64,
        user_id: i64,
    ) -> Result<Option<RegistrationRow>> {
        let q = format!(
            "{SELECT_REGISTRATION} WHERE r.event_id = $1 AND r.user_id = $2 AND r.state <> 'cancelled'"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(event_id)
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Position of a waiting registration on its list (1 = next), or `None` if not waiting.
    pub async fn waiting_position(&self, registration_id: i64) -> Result<Option<i64>> {
        let r = self.registration(registration_id).await?;
        let Some(r) = r.filter(|r| r.state == "waiting") else {
            return Ok(None);
        };
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND state = 'waiting' AND id <= $2",
        )
        .bind(r.event_id)
        .bind(r.id)
        .fetch_one(&self.pool)
        .await?;
        Ok(Some(n))
    }

    pub async fn attendance(&self, event_id: i64) -> Result<Attendance> {
        let present: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND attended = 1",
        )
        .bind(event_id)
        .fetch_one(&self.pool)
        .await?;
        let walk_ins: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM event_walk_ins WHERE event_id = $1")
                .bind(event_id)
                .fetch_one(&self.pool)
                .await?;
        let groups: Vec<(Option<String>, Option<String>, i64)> = sqlx::query_as(
            "SELECT c.name, qu.name, COUNT(*) FROM ( \
               SELECT category_id, quartier_id FROM registrations WHERE event_id = $1 AND attended = 1 \
               UNION ALL SELECT category_id, quartier_id FROM event_walk_ins WHERE event_id = $1 \
             ) p LEFT JOIN categories c ON c.id = p.category_id \
             LEFT JOIN quartiers qu ON qu.id = p.quartier_id \
             GROUP BY c.name, qu.name ORDER BY COUNT(*) DESC, c.name, qu.name",
        )
        .bind(event_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(Attendance {
            registered_present: present,
            walk_ins,
            groups: groups
                .into_iter()
                .map(|(c, q, n)| (c.unwrap_or_default(), q.unwrap_or_default(), n))
                .collect(),
        })
    }

    /// The contributions that an event's minutes became, oldest first.
    pub async fn event_contribution_ids(&self, event_id: i64) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM contributions WHERE event_id = $1 AND status = 'published' ORDER BY id",
        )
        .bind(event_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn programme(&self, id: i64) -> Result<Option<Programme>> {
        Ok(sqlx::query_as(
            "SELECT id, debate_id, slug, title, description, published FROM programmes WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn programme_by_slug(&self, slug: &str) -> Result<Option<Programme>> {
        Ok(sqlx::query_as(
            "SELECT id, debate_id, slug, title, description, published FROM programmes WHERE slug = $1",
        )
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn debate_programmes(&self, debate_id: i64) -> Result<Vec<Programme>> {
        Ok(sqlx::query_as(
            "SELECT id, debate_id, slug, title, description, published FROM programmes \
             WHERE debate_id = $1 ORDER BY id",
        )
        .bind(debate_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn speakers(&self, programme_id: i64) -> Result<Vec<Speaker>> {
        Ok(sqlx::query_as(
            "SELECT id, programme_id, name, role, organisation, bio, photo_file_id FROM speakers \
             WHERE programme_id = $1 ORDER BY name, id",
        )
        .bind(programme_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The speakers of every programme of a debate, with their programme's title, by name.
    pub async fn debate_speakers(&self, debate_id: i64) -> Result<Vec<(Speaker, String)>> {
        let rows: Vec<Speaker> = sqlx::query_as(
            "SELECT s.id, s.programme_id, s.name, s.role, s.organisation, s.bio, s.photo_file_id \
             FROM speakers s JOIN programmes p ON p.id = s.programme_id \
             WHERE p.debate_id = $1 ORDER BY s.name, s.id",
        )
        .bind(debate_id)
        .fetch_all(&self.pool)
        .await?;
        let programmes = self.debate_programmes(debate_id).await?;
        Ok(rows
            .into_iter()
            .map(|s| {
                let title = programmes
                    .iter()
                    .find(|p| p.id == s.programme_id)
                    .map(|p| p.title.clone())
                    .unwrap_or_default();
                (s, title)
            })
            .collect())
    }

    pub async fn event_speaker_ids(&self, event_id: i64) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT speaker_id FROM event_speakers WHERE event_id = $1 ORDER BY speaker_id",
        )
        .bind(event_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// (event id, speaker id) pairs of a programme's sessions.
    pub async fn programme_session_speakers(&self, programme_id: i64) -> Result<Vec<(i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT es.event_id, es.speaker_id FROM event_speakers es \
             JOIN events e ON e.id = es.event_id WHERE e.programme_id = $1",
        )
        .bind(programme_id)
        .fetch_all(&self.pool)
        .await?)
    }
}

impl Tx<'_> {
    pub async fn insert_event(&mut self, f: &EventFields, created_by: Option<i64>) -> Result<i64> {
        let t = now();
        let id = sqlx::query_scalar(
            "INSERT INTO events (debate_id, programme_id, kind, title, description, question_id, \
             quartier_id, address, access_notes, accessibility, room, starts_at, ends_at, online_link, \
             capacity, registration_opens, registration_closes, reminder_hours, reminder_text, \
             created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
             $19, $20, $21, $21) RETURNING id",
        )
        .bind(f.debate_id)
        .bind(f.programme_id)
        .bind(f.kind.as_str())
        .bind(f.title.as_str())
        .bind(f.description.as_str())
        .bind(f.question_id)
        .bind(f.quartier_id)
        .bind(f.address.as_str())
        .bind(f.access_notes.as_str())
        .bind(f.accessibility.as_str())
        .bind(f.room.as_str())
        .bind(f.starts_at)
        .bind(f.ends_at)
        .bind(f.online_link.as_str())
        .bind(f.capacity)
        .bind(f.registration_opens)
        .bind(f.registration_closes)
        .bind(f.reminder_hours)
        .bind(f.reminder_text.as_str())
        .bind(created_by)
        .bind(t)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(id)
    }

    /// Rewrites an event's fields and raises its calendar `SEQUENCE`.
    pub async fn update_event(&mut self, id: i64, f: &EventFields) -> Result<()> {
        let n = sqlx::query(
            "UPDATE events SET programme_id = $2, kind = $3, title = $4, description = $5, \
             question_id = $6, quartier_id = $7, address = $8, access_notes = $9, accessibility = $10, \
             room = $11, starts_at = $12, ends_at = $13, online_link = $14, capacity = $15, \
             registration_opens = $16, registration_closes = $17, reminder_hours = $18, \
             reminder_text = $19, sequence = sequence + 1, updated_at = $20 WHERE id = $1",
        )
        .bind(id)
        .bind(f.programme_id)
        .bind(f.kind.as_str())
        .bind(f.title.as_str())
        .bind(f.description.as_str())
        .bind(f.question_id)
        .bind(f.quartier_id)
        .bind(f.address.as_str())
        .bind(f.access_notes.as_str())
        .bind(f.accessibility.as_str())
        .bind(f.room.as_str())
        .bind(f.starts_at)
        .bind(f.ends_at)
        .bind(f.online_link.as_str())
        .bind(f.capacity)
        .bind(f.registration_opens)
        .bind(f.registration_closes)
        .bind(f.reminder_hours)
        .bind(f.reminder_text.as_str())
        .bind(now())
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Sets the status (scheduled, changed, cancelled, held) and raises the `SEQUENCE`.
    pub async fn set_event_status(&mut self, id: i64, status: &str) -> Result<()> {
        sqlx::query(
            "UPDATE events SET status = $2, sequence = sequence + 1, updated_at = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(status)
        .bind(now())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn set_event_published(&mut self, id: i64, published: bool) -> Result<()> {
        sqlx::query("UPDATE events SET published = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(i64::from(published))
            .bind(now())
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn set_event_minutes(&mut self, id: i64, minutes: &str) -> Result<()> {
        sqlx::query("UPDATE events SET minutes = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(minutes)
            .bind(now())
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn set_event_facilitators(&mut self, event_id: i64, users: &[i64]) -> Result<()> {
        sqlx::query("DELETE FROM event_facilitators WHERE event_id = $1")
            .bind(event_id)
            .execute(&mut *self.tx)
            .await?;
        for u in users {
            sqlx::query("INSERT INTO event_facilitators (event_id, user_id) VALUES ($1, $2)")
                .bind(event_id)
                .bind(*u)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    /// Makes a contribution one that was said at this event.
    pub async fn set_contribution_event(
        &mut self,
        contribution_id: i64,
        event_id: i64,
    ) -> Result<()> {
        sqlx::query("UPDATE contributions SET event_id = $2 WHERE id = $1")
            .bind(contribution_id)
            .bind(event_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Locks the event's row until the end of this write, and reads its capacity.
    async fn lock_event(&mut self, event_id: i64) -> Result<Option<i64>> {
        let q = match self.store.backend {
            Backend::Postgres => "SELECT capacity FROM events WHERE id = $1 FOR UPDATE",
            // The write lock was taken by BEGIN IMMEDIATE.
            Backend::Sqlite => "SELECT capacity FROM events WHERE id = $1",
        };
        let cap: Option<Option<i64>> = sqlx::query_scalar(q)
            .bind(event_id)
            .fetch_optional(&mut *self.tx)
            .await?;
        cap.ok_or(StoreError::NotFound)
    }

    async fn count_state(&mut self, event_id: i64, state: &str) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND state = $2",
        )
        .bind(event_id)
        .bind(state)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    /// Registers someone: a place if one is left, the waiting list otherwise.
    /// `Conflict("account")` or `Conflict("email")` when they are already registered.
    pub async fn register(&mut self, r: &NewRegistration) -> Result<(i64, Placed)> {
        let capacity = self.lock_event(r.event_id).await?;
        let already: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND state <> 'cancelled' \
             AND (user_id = $2 OR (email <> '' AND email = $3))",
        )
        .bind(r.event_id)
        .bind(r.user_id.unwrap_or(-1))
        .bind(r.email.as_str())
        .fetch_one(&mut *self.tx)
        .await?;
        if already > 0 {
            return Err(StoreError::Conflict(if r.user_id.is_some() {
                "account"
            } else {
                "email"
            }));
        }
        let confirmed = self.count_state(r.event_id, "confirmed").await?;
        let waiting = self.count_state(r.event_id, "waiting").await?;
        // Nobody jumps the queue: while people wait, a new place goes to them, not to a newcomer.
        let placed = match capacity {
            Some(cap) if confirmed >= cap || waiting > 0 => Placed::Waiting(waiting + 1),
            _ => Placed::Confirmed,
        };
        let state = match placed {
            Placed::Confirmed => "confirmed",
            Placed::Waiting(_) => "waiting",
        };
        let t = now();
        let id = sqlx::query_scalar(
            "INSERT INTO registrations (event_id, user_id, name, email, phone, category_id, \
             quartier_id, state, token_hash, entered_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(r.event_id)
        .bind(r.user_id)
        .bind(r.name.as_str())
        .bind(r.email.as_str())
        .bind(r.phone.as_str())
        .bind(r.category_id)
        .bind(r.quartier_id)
        .bind(state)
        .bind(r.token_hash.as_str())
        .bind(r.entered_by)
        .bind(t)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(crate::conflict_as("email"))?;
        Ok((id, placed))
    }

    pub async fn set_registration_token_hash(&mut self, id: i64, hash: &str) -> Result<()> {
        sqlx::query("UPDATE registrations SET token_hash = $2 WHERE id = $1")
            .bind(id)
            .bind(hash)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Cancels a registration; a freed place goes at once to the first people waiting. Returns
    /// the registration as it was, and those promoted. `NotFound` if it was already cancelled.
    pub async fn cancel_registration(
        &mut self,
        registration_id: i64,
    ) -> Result<(RegistrationRow, Vec<RegistrationRow>)> {
        let event_id: Option<i64> =
            sqlx::query_scalar("SELECT event_id FROM registrations WHERE id = $1")
                .bind(registration_id)
                .fetch_optional(&mut *self.tx)
                .await?;
        let event_id = event_id.ok_or(StoreError::NotFound)?;
        self.lock_event(event_id).await?;
        let q = format!("{SELECT_REGISTRATION} WHERE r.id = $1");
        let before: RegistrationRow = sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(registration_id)
            .fetch_one(&mut *self.tx)
            .await?;
        if before.state == "cancelled" {
            return Err(StoreError::NotFound);
        }
        sqlx::query("UPDATE registrations SET state = 'cancelled', updated_at = $2 WHERE id = $1")
            .bind(registration_id)
            .bind(now())
            .execute(&mut *self.tx)
            .await?;
        let promoted = self.fill_from_waiting(event_id).await?;
        Ok((before, promoted))
    }

    /// Gives the free places of an event to the people waiting, in arrival order (after a
    /// cancellation, or when staff raise the capacity). Returns those promoted.
    pub async fn fill_from_waiting(&mut self, event_id: i64) -> Result<Vec<RegistrationRow>> {
        let capacity = self.lock_event(event_id).await?;
        let confirmed = self.count_state(event_id, "confirmed").await?;
        let free = match capacity {
            None => i64::MAX,
            Some(cap) => (cap - confirmed).max(0),
        };
        if free == 0 {
            return Ok(Vec::new());
        }
        let q = format!(
            "{SELECT_REGISTRATION} WHERE r.event_id = $1 AND r.state = 'waiting' ORDER BY r.id LIMIT $2"
        );
        let next: Vec<RegistrationRow> = sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(event_id)
            .bind(free.min(100_000))
            .fetch_all(&mut *self.tx)
            .await?;
        for r in &next {
            sqlx::query(
                "UPDATE registrations SET state = 'confirmed', updated_at = $2 WHERE id = $1",
            )
            .bind(r.id)
            .bind(now())
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(next)
    }

    pub async fn set_attended(&mut self, registration_id: i64, attended: bool) -> Result<()> {
        sqlx::query("UPDATE registrations SET attended = $2, updated_at = $3 WHERE id = $1")
            .bind(registration_id)
            .bind(i64::from(attended))
            .bind(now())
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn add_walk_in(
        &mut self,
        event_id: i64,
        category_id: Option<i64>,
        quartier_id: Option<i64>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO event_walk_ins (event_id, category_id, quartier_id, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(event_id)
        .bind(category_id)
        .bind(quartier_id)
        .bind(now())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn insert_programme(
        &mut self,
        debate_id: i64,
        slug: &str,
        title: &str,
        description: &str,
        published: bool,
    ) -> Result<i64> {
        sqlx::query_scalar(
            "INSERT INTO programmes (debate_id, slug, title, description, published, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(debate_id)
        .bind(slug)
        .bind(title)
        .bind(description)
        .bind(i64::from(published))
        .bind(now())
        .fetch_one(&mut *self.tx)
        .await
        .map_err(crate::conflict_as("slug"))
    }

    pub async fn insert_speaker(&mut self, s: &Speaker) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO speakers (programme_id, name, role, organisation, bio, photo_file_id) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(s.programme_id)
        .bind(s.name.as_str())
        .bind(s.role.as_str())
        .bind(s.organisation.as_str())
        .bind(s.bio.as_str())
        .bind(s.photo_file_id)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    /// Replaces the speakers of a session.
    pub async fn set_session_speakers(&mut self, event_id: i64, speakers: &[i64]) -> Result<()> {
        sqlx::query("DELETE FROM event_speakers WHERE event_id = $1")
            .bind(event_id)
            .execute(&mut *self.tx)
            .await?;
        for s in speakers {
            self.add_session_speaker(event_id, *s).await?;
        }
        Ok(())
    }

    pub async fn add_session_speaker(&mut self, event_id: i64, speaker_id: i64) -> Result<()> {
        sqlx::query("INSERT INTO event_speakers (event_id, speaker_id) VALUES ($1, $2)")
            .bind(event_id)
            .bind(speaker_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}
