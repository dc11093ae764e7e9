//! What every handler shares: the store, the settings, the mailer, the metrics.

use crate::metrics::Metrics;
use crate::search_index::SearchIndex;
use crate::settings::Settings;
use jobs::{MailJob, Mailer};
use std::sync::Arc;
use storage::Store;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub store: Store,
    pub settings: Settings,
    pub mailer: Mailer,
    pub metrics: Metrics,
    pub tz: jiff::tz::TimeZone,
    /// Key of the CSRF token HMAC, shared by every instance through the database.
    pub csrf_key: Vec<u8>,
    /// French full-text search, following the database.
    pub search: Arc<SearchIndex>,
    /// The limits on abuse (`settings.rate_limits` over the defaults).
    pub limits: domain::limits::Limits,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Queues a mail (sent by the job worker, never inside the request).
    pub async fn mail(
        &self,
        to: &str,
        subject: &str,
        body: String,
    ) -> Result<(), storage::StoreError> {
        let mut job = MailJob {
            to: to.to_string(),
            subject: subject.to_string(),
            body,
            reply_to: None,
        }
        .job();
        job.max_attempts = self.settings.job_attempts;
        self.store.enqueue(job).await
    }

    pub async fn new(store: Store, settings: Settings) -> Result<AppState, storage::StoreError> {
        let secret = store
            .meta_get_or_init("csrf_key", &storage::new_token().0)
            .await?;
        let mailer = Mailer::new(&settings.mail_config());
        let search = SearchIndex::open(&settings.data_dir.join("search"));
        crate::search_index::spawn_follower(search.clone(), store.clone());
        Ok(AppState(Arc::new(Inner {
            search,
            tz: settings.time_zone(),
            store,
            mailer,
            metrics: Metrics::default(),
            csrf_key: secret.into_bytes(),
            limits: settings.limits(),
            settings,
        })))
    }
}
