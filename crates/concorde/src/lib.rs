//! The `concorde` program: command line, settings, and wiring of the store and the web front.
//! `main.rs` only parses arguments; everything here can be driven by the tests.

pub mod analyze;
pub mod config;
pub mod demo;
mod demo_events;
mod demo_report;
pub mod demo_survey;
pub mod export;
pub mod import;
pub mod report_cmd;
pub mod survey;

use storage::Store;
use web::{AppState, Settings};

/// Opens (creating the data folder for SQLite) and migrates the database of these settings.
pub async fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    std::fs::create_dir_all(&settings.data_dir).map_err(|e| {
        anyhow::anyhow!(
            "cannot create the data folder {}: {e}",
            settings.data_dir.display()
        )
    })?;
    let url = settings.effective_database_url();
    let store = Store::connect(&url)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the database {}: {e}", storage::redact(&url)))?;
    store.migrate().await?;
    store.set_caches(settings.caches);
    Ok(store)
}

/// A running server, for tests and for `serve`.
pub struct Running {
    pub addr: std::net::SocketAddr,
    pub state: AppState,
    /// This instance's job worker (tests call `drain` on it to run what is due at once).
    pub worker: jobs::Worker,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    stop_worker: tokio::sync::watch::Sender<bool>,
    worker_task: tokio::task::JoinHandle<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
        let _ = self.stop_worker.send(true);
        let _ = (&mut self.worker_task).await;
    }

    pub async fn wait(self) -> std::io::Result<()> {
        match self.task.await {
            Ok(r) => r,
            Err(e) => Err(std::io::Error::other(e)),
        }
    }
}

/// Binds `settings.listen` (port 0 picks a free port) and serves in the background.
pub async fn start(settings: Settings, store: Store) -> anyhow::Result<Running> {
    let listener = tokio::net::TcpListener::bind(&settings.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.listen))?;
    let addr = listener.local_addr()?;
    let interrupted = store.fail_interrupted_runs().await?;
    if interrupted > 0 {
        tracing::warn!(
            interrupted,
            "analysis runs left unfinished by the last process are marked failed"
        );
    }
    let state = AppState::new(store, settings).await?;
    // The nightly retention run queues the next one itself; the first is queued here.
    web::tasks::schedule(&state).await?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let shutdown = async move {
        let _ = rx.await;
    };
    let api = api::router(api::ApiState {
        store: state.store.clone(),
        public_url: state.settings.public_url.clone(),
        max_chars: state.settings.contribution_max_chars,
        key: state.csrf_key.clone(),
        limits: state.limits.clone(),
        trust_forwarded_for: state.settings.trust_forwarded_for,
    });
    let extra = axum::Router::new().nest("/api/v1", api);
    let task = tokio::spawn(web::serve(listener, state.clone(), extra, shutdown));
    let worker = web::tasks::worker(&state, worker_config(&state.settings));
    let (stop_worker, stop_rx) = tokio::sync::watch::channel(false);
    let worker_task = if state.settings.run_jobs {
        worker.clone().spawn(stop_rx)
    } else {
        tokio::spawn(async {})
    };
    Ok(Running {
        addr,
        state,
        worker,
        shutdown: Some(tx),
        stop_worker,
        worker_task,
        task,
    })
}

fn worker_config(settings: &Settings) -> jobs::WorkerConfig {
    jobs::WorkerConfig {
        lease_secs: settings.job_lease_secs,
        ..jobs::WorkerConfig::default()
    }
}
