//! Runs of the synthesis engine on a debate's contributions, stored with their settings so that
//! the analysts' pages, the guarantors and the final report all read the same result.

use storage::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Engine(String),
}

/// The debate's published contributions as the engine's documents (id = contribution id).
pub async fn documents(store: &Store, debate_id: i64) -> Result<Vec<analysis::Document>, RunError> {
    let (mut rx, exporter) = store.spawn_export(debate_id);
    let mut docs = Vec::new();
    while let Some(r) = rx.recv().await {
        let mut d = analysis::Document::new(r.id.to_string(), format!("{}\n{}", r.title, r.body));
        d.question = Some(r.question);
        d.category = r.category;
        d.quartier = r.quartier;
        d.channel = Some(r.channel);
        d.collective = Some(r.kind == "collective");
        // An imported theme (a Decidim category) is the reference the themes found are measured
        // against (NMI, ARI).
        d.label = (!r.theme.is_empty()).then(|| r.theme.clone());
        docs.push(d);
    }
    exporter
        .await
        .map_err(|e| RunError::Engine(format!("export task failed: {e}")))??;
    Ok(docs)
}

/// Records a run of the engine on a debate and returns its id; [`execute`] does the work.
pub async fn start(
    store: &Store,
    debate_id: i64,
    settings: &analysis::Settings,
    created_by: Option<i64>,
) -> Result<i64, RunError> {
    Ok(store
        .start_run(
            debate_id,
            created_by,
            &analysis::Engine::current().version,
            &serde_json::to_string(settings).unwrap_or_default(),
        )
        .await?)
}

/// Analyses the debate for a started run and stores the result, or the reason it failed.
pub async fn execute(
    store: &Store,
    run_id: i64,
    debate_id: i64,
    settings: analysis::Settings,
) -> Result<analysis::Analysis, RunError> {
    let outcome = async {
        let docs = documents(store, debate_id).await?;
        tokio::task::spawn_blocking(move || {
            analysis::analyze(&docs, &settings, &|_, _| {}).map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| RunError::Engine(e.to_string()))?
        .map_err(RunError::Engine)
    }
    .await;
    match outcome {
        Ok(result) => {
            store
                .finish_run(
                    run_id,
                    result.stats.documents as i64,
                    result.themes.len() as i64,
                    &analysis::to_json(&result),
                )
                .await?;
            Ok(result)
        }
        Err(e) => {
            tracing::warn!(run_id, error = %e, "analysis run failed");
            store.fail_run(run_id, &e.to_string()).await?;
            Err(e)
        }
    }
}

/// Analyses a debate and stores the run, waiting for the result (the CLI's way).
pub async fn run_on_debate(
    store: &Store,
    debate_id: i64,
    settings: analysis::Settings,
    created_by: Option<i64>,
) -> Result<(i64, analysis::Analysis), RunError> {
    let id = start(store, debate_id, &settings, created_by).await?;
    let result = execute(store, id, debate_id, settings).await?;
    Ok((id, result))
}
