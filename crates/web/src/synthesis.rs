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
        docs.push(d);
    }
    exporter
        .await
        .map_err(|e| RunError::Engine(format!("export task failed: {e}")))??;
    Ok(docs)
}

/// Analyses a debate and stores the run; returns its id and the result.
pub async fn run_on_debate(
    store: &Store,
    debate_id: i64,
    settings: analysis::Settings,
    created_by: Option<i64>,
) -> Result<(i64, analysis::Analysis), RunError> {
    let docs = documents(store, debate_id).await?;
    let settings_for_run = settings.clone();
    let result = tokio::task::spawn_blocking(move || {
        analysis::analyze(&docs, &settings_for_run, &|_, _| {}).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| RunError::Engine(e.to_string()))?
    .map_err(RunError::Engine)?;
    let id = store
        .insert_run(&storage::NewRun {
            debate_id,
            created_by,
            documents: result.stats.documents as i64,
            themes: result.themes.len() as i64,
            engine_version: &result.engine.version,
            settings: &serde_json::to_string(&settings).unwrap_or_default(),
            result: &analysis::to_json(&result),
        })
        .await?;
    Ok((id, result))
}
