//! Retention, run once a day through the job queue: accounts unused for `inactive_days` are
//! warned by mail, then deleted (contributions kept anonymised) when still unused
//! [`WARNING_DAYS`] after the warning; staff accounts (any role) are warned but never deleted
//! automatically; registrations of people without an account go `registration_days` after
//! their event ended. The job then queues itself for the next night.

use crate::account::{DeleteError, DeletionMode};
use serde::{Deserialize, Serialize};
use storage::{InactiveAccount, NewJob, Store, StoreError};

pub const RETENTION: &str = "retention";

/// Days between the warning and the deletion.
pub const WARNING_DAYS: i64 = 30;

/// Hour of the night (instance's time zone) at which the daily run is due.
const HOUR: i8 = 3;

const DAY: i64 = 86_400;

/// The delays, from the settings.
#[derive(Debug, Clone, Copy)]
pub struct Delays {
    pub inactive_days: i64,
    pub registration_days: i64,
}

/// The day's run (its date in the instance's time zone: one job per day).
#[derive(Debug, Serialize, Deserialize)]
pub struct RetentionRun {
    pub day: String,
}

/// What one run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub warned: usize,
    pub deleted: usize,
    pub registrations: u64,
}

/// One run at time `now`. `warning` writes the mail of one account (staff or not: their texts
/// differ), queued in the transaction that notes the warning.
pub async fn run(
    store: &Store,
    delays: Delays,
    now: i64,
    warning: impl Fn(&InactiveAccount) -> NewJob<'static>,
) -> Result<Outcome, StoreError> {
    let mut out = Outcome::default();
    let seen_before = now - delays.inactive_days * DAY;
    for a in store.inactive_accounts_to_warn(seen_before).await? {
        let mut tx = store.begin().await?;
        if tx.note_inactivity_warning(a.id, seen_before, now).await? {
            let mut mail = warning(&a);
            // Run again after a crash, the job must not mail twice.
            mail.dedup_key = Some(format!("inactivity-warning-{}-{now}", a.id));
            tx.enqueue(mail).await?;
            out.warned += 1;
        }
        tx.commit().await?;
    }
    for id in store
        .inactive_accounts_to_delete(now - WARNING_DAYS * DAY)
        .await?
    {
        match crate::account::erase(
            store,
            id,
            DeletionMode::Anonymise,
            None,
            "user.delete_inactive",
        )
        .await
        {
            Ok(_) => out.deleted += 1,
            Err(DeleteError::Store(StoreError::NotFound)) => {}
            Err(DeleteError::Store(e)) => return Err(e),
            Err(e) => tracing::warn!(user = id, error = %e, "inactive account not deleted"),
        }
    }
    let mut tx = store.begin().await?;
    out.registrations = tx
        .delete_guest_registrations(now - delays.registration_days * DAY)
        .await?;
    if out.registrations > 0 {
        tx.audit(
            None,
            "registration.delete_expired",
            "registrations",
            &format!("count={}", out.registrations),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(out)
}

/// The run due after `now` at night, for a later day than `after` (the day of the run that
/// queues it, so that a run started late never queues itself again under its own key).
pub fn next_job(now: i64, tz: &jiff::tz::TimeZone, after: Option<&str>) -> NewJob<'static> {
    let today = jiff::Timestamp::from_second(now)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(tz.clone())
        .date();
    let at = |d: jiff::civil::Date| {
        d.at(HOUR, 0, 0, 0)
            .to_zoned(tz.clone())
            .map(|z| z.timestamp().as_second())
            .unwrap_or(now + DAY)
    };
    let mut day = today;
    if at(day) <= now {
        day = day.tomorrow().unwrap_or(day);
    }
    if let Some(last) = after.and_then(|a| a.parse::<jiff::civil::Date>().ok())
        && day <= last
    {
        day = last.tomorrow().unwrap_or(last);
    }
    let mut job = crate::jobs::job(
        RETENTION,
        &RetentionRun {
            day: day.to_string(),
        },
    );
    job.run_at = at(day);
    job.dedup_key = Some(format!("retention-{day}"));
    job
}

/// At start-up: the daily run is queued unless one already waits.
pub async fn schedule(store: &Store, tz: &jiff::tz::TimeZone) -> Result<(), StoreError> {
    if !store.job_queued(RETENTION).await? {
        store.enqueue(next_job(storage::now(), tz, None)).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_run_is_at_night_and_never_under_the_same_day() {
        let tz = jiff::tz::TimeZone::get("Europe/Paris").expect("tz");
        // 2025-06-02 10:00 in Paris.
        let now = 1_748_851_200;
        let j = next_job(now, &tz, None);
        assert_eq!(j.dedup_key.as_deref(), Some("retention-2025-06-03"));
        assert_eq!(j.run_at, 1_748_912_400); // 2025-06-03 03:00 +02:00
        // Run late, the day after's run is queued, not its own again.
        let j = next_job(now, &tz, Some("2025-06-03"));
        assert_eq!(j.dedup_key.as_deref(), Some("retention-2025-06-04"));
        // 02:00: tonight's run is still ahead.
        let j = next_job(now - 8 * 3600, &tz, None);
        assert_eq!(j.dedup_key.as_deref(), Some("retention-2025-06-02"));
    }
}
