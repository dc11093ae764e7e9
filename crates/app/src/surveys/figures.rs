//! The results, computed once per revision of the survey, and the cross-tabulations.

#[allow(unused_imports)]
use super::*;

/// Everything the results pages show, computed once per revision of the survey.
#[derive(Debug)]
pub struct SurveyResults {
    pub revision: i64,
    pub definition: Definition,
    pub online: Vec<QuestionResult>,
    pub panel: Vec<QuestionResult>,
    /// The panel's results weighted (when a weighting exists and still fits the panel).
    pub weighted: Option<Vec<QuestionResult>>,
    pub diagnostics: Option<weighting::Diagnostics>,
    /// Why the stored weighting could not be used, if it could not.
    pub weighting_problem: Option<String>,
    pub online_count: usize,
    pub panel_count: usize,
    /// The profile variables of the panel (sexe, age, quartier…) and of the online
    /// respondents (categorie, quartier, age), in order of first appearance.
    pub panel_variables: Vec<String>,
    pub online_variables: Vec<String>,
    /// The online respondents per value of each profile variable ("who spoke").
    pub online_profile: BTreeMap<String, BTreeMap<String, usize>>,
    /// The raking variables of the weighting, in order.
    pub by: Vec<String>,
}

type Cache = Mutex<HashMap<i64, Arc<SurveyResults>>>;

fn cache() -> &'static Cache {
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The survey's results, if this subject may read them; from the cache while the survey's
/// revision is the same (a new response, panel or weighting raises it, in any instance).
pub async fn results(
    store: &Store,
    subject: &Subject,
    s: &SurveyRow,
) -> Result<Arc<SurveyResults>, SurveyError> {
    if !subject.may_on(On::ReadResults, resource(s)) {
        return Err(if subject.may_on(On::Read, resource(s)) {
            refuse(subject)
        } else {
            SurveyError::NotFound
        });
    }
    let revision = store
        .survey_revision(s.id)
        .await?
        .ok_or(SurveyError::NotFound)?;
    if let Some(r) = cache().lock().ok().and_then(|c| c.get(&s.id).cloned())
        && r.revision == revision
    {
        return Ok(r);
    }
    let online = store
        .response_figures(s.id, Source::Online.as_str())
        .await?;
    let panel = store.response_figures(s.id, Source::Panel.as_str()).await?;
    let weighting = store.latest_weighting(s.id).await?;
    let def = definition(s);
    let computed =
        tokio::task::spawn_blocking(move || compute(revision, def, online, panel, weighting))
            .await
            .map_err(|e| SurveyError::File(format!("results: {e}")))?;
    let r = Arc::new(computed);
    if let Ok(mut c) = cache().lock() {
        c.insert(s.id, r.clone());
    }
    Ok(r)
}

type Figures = Vec<(String, String, Option<f64>)>;

/// Parses rows on both cores: (answers, profile, weight).
fn parse(rows: Figures) -> Vec<(Answers, BTreeMap<String, String>, Option<f64>)> {
    let one = |rows: &[(String, String, Option<f64>)]| -> Vec<(Answers, BTreeMap<String, String>, Option<f64>)> {
        rows.iter()
            .map(|(a, p, w)| {
                (
                    serde_json::from_str(a).unwrap_or_default(),
                    serde_json::from_str(p).unwrap_or_default(),
                    *w,
                )
            })
            .collect()
    };
    if rows.len() < 20_000 {
        return one(&rows);
    }
    let (a, b) = rows.split_at(rows.len() / 2);
    std::thread::scope(|scope| {
        let second = scope.spawn(|| one(b));
        let mut first = one(a);
        first.extend(second.join().unwrap_or_default());
        first
    })
}

/// Every question's results, the questions shared between two threads when the group is large
/// (a weighted figure costs a projection over every respondent).
fn all_results(def: &Definition, g: &Group<'_>) -> Vec<QuestionResult> {
    let questions: Vec<&Question> = def.questions().collect();
    if g.len() < 20_000 || questions.len() < 2 {
        return questions.iter().map(|q| results::question(q, g)).collect();
    }
    let (a, b) = questions.split_at(questions.len() / 2);
    std::thread::scope(|scope| {
        let second = scope.spawn(|| {
            b.iter()
                .map(|q| results::question(q, g))
                .collect::<Vec<_>>()
        });
        let mut first: Vec<QuestionResult> = a.iter().map(|q| results::question(q, g)).collect();
        first.extend(second.join().unwrap_or_default());
        first
    })
}

fn compute(
    revision: i64,
    def: Definition,
    online: Figures,
    panel: Figures,
    weighting: Option<WeightingRow>,
) -> SurveyResults {
    let online_rows: Vec<(Answers, BTreeMap<String, String>)> =
        parse(online).into_iter().map(|(a, p, _)| (a, p)).collect();
    let panel_rows = parse(panel);
    fn group(rows: Vec<&Answers>) -> Group<'_> {
        Group {
            answers: rows,
            weighted: None,
        }
    }
    let online_results = all_results(&def, &group(online_rows.iter().map(|r| &r.0).collect()));
    let panel_results = all_results(&def, &group(panel_rows.iter().map(|r| &r.0).collect()));
    let mut weighted = None;
    let mut diagnostics = None;
    let mut problem = None;
    let mut by = Vec::new();
    if let Some(w) = weighting {
        let opts: WeightingOptions = serde_json::from_str(&w.options).unwrap_or_default();
        by = opts.by.clone();
        let weights: Option<Vec<f64>> = panel_rows.iter().map(|r| r.2).collect();
        match weights {
            None => problem = Some("the panel changed after its weighting: weight it again".into()),
            Some(weights) => {
                // The design is bound again from the stored margins, for the standard errors.
                let profiles: Vec<BTreeMap<String, String>> =
                    panel_rows.iter().map(|r| r.1.clone()).collect();
                match rake(&profiles, w.margins.as_bytes(), &opts) {
                    Ok((design, diag, _, _)) => {
                        let projector = weighting::estimate::Projector::new(&design);
                        let g = Group {
                            answers: panel_rows.iter().map(|r| &r.0).collect(),
                            weighted: Some(Weighted {
                                weights: &weights,
                                design: &design,
                                projector: projector.as_ref(),
                            }),
                        };
                        weighted = Some(all_results(&def, &g));
                        diagnostics = Some(diag);
                    }
                    Err(e) => problem = Some(e.to_string()),
                }
            }
        }
    }
    SurveyResults {
        revision,
        online: online_results,
        panel: panel_results,
        weighted,
        diagnostics,
        weighting_problem: problem,
        online_count: online_rows.len(),
        panel_count: panel_rows.len(),
        panel_variables: profile_variables(panel_rows.iter().map(|r| &r.1)),
        online_variables: profile_variables(online_rows.iter().map(|r| &r.1)),
        online_profile: {
            let mut m: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
            for (_, p) in &online_rows {
                for (k, v) in p {
                    *m.entry(k.clone())
                        .or_default()
                        .entry(v.clone())
                        .or_default() += 1;
                }
            }
            m
        },
        by,
        definition: def,
    }
}

/// The variables of these profiles (sexe, age, quartier…), in order of first appearance.
pub fn profile_variables<'a>(
    profiles: impl Iterator<Item = &'a BTreeMap<String, String>>,
) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for p in profiles {
        for k in p.keys() {
            if !v.contains(k) {
                v.push(k.clone());
            }
        }
    }
    v
}

/// One question's cross-tabulation by a profile variable, over the panel (weighted shares when
/// it is weighted) or the online respondents. Read from the database when asked (the results'
/// cache keeps figures, not responses).
pub async fn crosstab(
    store: &Store,
    subject: &Subject,
    s: &SurveyRow,
    code: &str,
    variable: &str,
    panel: bool,
) -> Result<Vec<(String, QuestionResult)>, SurveyError> {
    if !subject.may_on(On::ReadResults, resource(s)) {
        return Err(SurveyError::NotFound);
    }
    let def = definition(s);
    let Some(q) = def.question(code).cloned() else {
        return Ok(Vec::new());
    };
    let source = if panel { Source::Panel } else { Source::Online };
    let rows = store.submitted_responses(s.id, source.as_str()).await?;
    let variable = variable.to_string();
    tokio::task::spawn_blocking(move || {
        let parsed: Vec<(Answers, BTreeMap<String, String>, Option<f64>)> = rows
            .iter()
            .map(|r| (answers_of(r), profile_of(r), r.weight))
            .collect();
        let weights: Option<Vec<f64>> = parsed.iter().map(|r| r.2).collect();
        let answers: Vec<&Answers> = parsed.iter().map(|r| &r.0).collect();
        let profiles: Vec<&BTreeMap<String, String>> = parsed.iter().map(|r| &r.1).collect();
        // Weighted shares within a category need the weights only (no design).
        let plain;
        let g = match &weights {
            Some(w) if panel && !w.is_empty() => {
                plain = weighting::Design {
                    n: w.len(),
                    margins: vec![],
                    total: w.iter().sum(),
                    warnings: vec![],
                };
                Group {
                    answers,
                    weighted: Some(Weighted {
                        weights: w,
                        design: &plain,
                        projector: None,
                    }),
                }
            }
            _ => Group {
                answers,
                weighted: None,
            },
        };
        results::crosstab(&q, &g, &profiles, &variable)
    })
    .await
    .map_err(|e| SurveyError::File(format!("cross-tabulation: {e}")))
}
