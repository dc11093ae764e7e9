//! The polling firm's panel: its file previewed and imported whole, and its weighting.

#[allow(unused_imports)]
use super::*;

/// What a panel's file would import: the columns' roles, the questions no column answers, a
/// few rows, the rejected rows.
#[derive(Debug, Serialize)]
pub struct PanelPreview {
    pub encoding: String,
    pub rows: usize,
    pub mapping: survey::panel::Mapping,
    pub unmapped: Vec<String>,
    pub sample: Vec<Vec<String>>,
    pub rejected: Vec<survey::panel::Rejected>,
}

fn read_panel(
    def: &Definition,
    bytes: &[u8],
    id_column: &str,
) -> Result<(weighting::Table, survey::panel::Mapping), SurveyError> {
    let table =
        weighting::read_table(bytes, "the panel").map_err(|e| SurveyError::File(e.to_string()))?;
    let mapping = survey::panel::map_columns(def, &table, id_column);
    Ok((table, mapping))
}

/// Reads a panel's file without importing it.
pub async fn preview_panel(
    store: &Store,
    subject: &Subject,
    id: i64,
    bytes: &[u8],
    id_column: &str,
) -> Result<PanelPreview, SurveyError> {
    let s = managed(store, subject, id).await?;
    let def = definition(&s);
    let (table, mapping) = read_panel(&def, bytes, id_column)?;
    let (_, rejected) = survey::panel::read_rows(&def, &table, &mapping);
    Ok(PanelPreview {
        encoding: format!("{:?}", table.encoding),
        rows: table.len(),
        unmapped: mapping
            .unmapped(&def)
            .iter()
            .map(|q| q.code.clone())
            .collect(),
        sample: table
            .rows
            .iter()
            .take(5)
            .map(|r| r.iter().map(str::to_string).collect())
            .collect(),
        mapping,
        rejected,
    })
}

/// Imports a panel's file whole, replacing the survey's panel (and its weights): nothing when
/// a row is rejected.
pub async fn import_panel(
    store: &Store,
    subject: &Subject,
    id: i64,
    bytes: &[u8],
    id_column: &str,
) -> Result<usize, SurveyError> {
    let s = managed(store, subject, id).await?;
    let def = definition(&s);
    let (table, mapping) = read_panel(&def, bytes, id_column)?;
    if mapping.id_column().is_none() {
        return Err(SurveyError::File(format!(
            "no column {:?} for the respondents' identifiers (columns: {})",
            if id_column.is_empty() {
                "id"
            } else {
                id_column
            },
            table.headers.join(", ")
        )));
    }
    let (rows, rejected) = survey::panel::read_rows(&def, &table, &mapping);
    if !rejected.is_empty() {
        return Err(SurveyError::Rejected(rejected));
    }
    if rows.is_empty() {
        return Err(SurveyError::File("the file holds no respondent".into()));
    }
    let rows: Vec<PanelResponse> = rows
        .into_iter()
        .map(|r| PanelResponse {
            panel_ref: r.reference,
            answers: json(&r.answers),
            profile: json(&r.profile),
        })
        .collect();
    let mut tx = store.begin().await?;
    tx.replace_panel(id, &rows).await?;
    tx.bump_survey_revision(id).await?;
    tx.audit(
        actor(subject),
        "survey.panel.import",
        &format!("survey:{id}"),
        &format!("{} respondents", rows.len()),
    )
    .await?;
    tx.commit().await?;
    Ok(rows.len())
}

/// How to weight the panel.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct WeightingOptions {
    /// The raking variables: profile columns of the panel, each with margins.
    pub by: Vec<String>,
    /// Bounds on the weights relative to their mean, e.g. (0.3, 3).
    pub trim: Option<(f64, f64)>,
}

fn panel_table(profiles: &[BTreeMap<String, String>], by: &[String]) -> weighting::Table {
    weighting::Table {
        headers: by.to_vec(),
        rows: profiles
            .iter()
            .map(|p| {
                csv::StringRecord::from(
                    by.iter()
                        .map(|v| p.get(v).map(String::as_str).unwrap_or(""))
                        .collect::<Vec<_>>(),
                )
            })
            .collect(),
        lines: (0..profiles.len() as u64).map(|i| i + 2).collect(),
        encoding: weighting::table::Encoding::Utf8,
        delimiter: b';',
    }
}

/// Rakes the panel to the margins (a `variable;modalite;effectif` file); stores the weights
/// and the diagnostics.
pub async fn weigh(
    store: &Store,
    subject: &Subject,
    id: i64,
    margins_file: &[u8],
    opts: &WeightingOptions,
) -> Result<weighting::Diagnostics, SurveyError> {
    managed(store, subject, id).await?;
    let panel = store
        .submitted_responses(id, Source::Panel.as_str())
        .await?;
    if panel.is_empty() {
        return Err(SurveyError::File(
            "import the polling firm's panel first: there is nobody to weight".into(),
        ));
    }
    let profiles: Vec<BTreeMap<String, String>> = panel.iter().map(profile_of).collect();
    let (_, diagnostics, weights, margins_text) = rake(&profiles, margins_file, opts)?;
    let w = WeightingRow {
        id: 0,
        survey_id: id,
        by_variables: opts.by.join(","),
        margins: margins_text,
        options: json(opts),
        diagnostics: json(&diagnostics),
        created_at: 0,
    };
    let pairs: Vec<(i64, f64)> = panel.iter().map(|r| r.id).zip(weights).collect();
    let mut tx = store.begin().await?;
    tx.insert_weighting(&w, &pairs, actor(subject)).await?;
    tx.bump_survey_revision(id).await?;
    tx.audit(
        actor(subject),
        "survey.weighting",
        &format!("survey:{id}"),
        &format!(
            "by {}; neff {:.0}",
            opts.by.join(","),
            diagnostics.effective_sample_size
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(diagnostics)
}

pub(super) type Raked = (weighting::Design, weighting::Diagnostics, Vec<f64>, String);

pub(super) fn rake(
    panel: &[BTreeMap<String, String>],
    margins_file: &[u8],
    opts: &WeightingOptions,
) -> Result<Raked, SurveyError> {
    let file = |e: weighting::Error| SurveyError::File(e.to_string());
    if opts.by.is_empty() {
        return Err(SurveyError::File(
            "name at least one raking variable (sexe, age, quartier…)".into(),
        ));
    }
    let mtable = weighting::read_table(margins_file, "the margins").map_err(file)?;
    let margins = weighting::parse_margins(&mtable).map_err(file)?;
    let table = panel_table(panel, &opts.by);
    let by: Vec<&str> = opts.by.iter().map(String::as_str).collect();
    let design = weighting::bind(&table, &margins, &by).map_err(file)?;
    let ro = weighting::RakeOptions {
        trim: opts.trim,
        ..Default::default()
    };
    let raking = weighting::rake(&design, None, &ro).map_err(file)?;
    let diagnostics = weighting::diagnose(&design, &raking, &ro);
    let text = weighting::table::decode(margins_file).0;
    Ok((design, diagnostics, raking.weights, text))
}
