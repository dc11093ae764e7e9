//! Results per question, for one group of respondents (the online ones, the panel unweighted,
//! the panel weighted).
//!
//! Shares are of the respondents who answered the question (shown to them and not left empty).
//! A multiple choice gives a share per option (they do not add up to 100 %), never a share per
//! combination. A scale gives the share of each point and the mean; a number its mean; a matrix
//! the shares of each row; a ranking the share who put each option first and its mean rank.
//! Texts are counted, never charted.
//!
//! Weighted figures come with the linearised standard error of the raked estimator and a 95 %
//! interval (`weighting::estimate`, the same as R's `svymean` on a `rake()`d design).

use crate::answers::{Answers, Value};
use crate::definition::{Choice, Definition, Kind, Question, Text};
use std::collections::BTreeMap;
use weighting::{Design, Sweeps};

/// A weighted estimate with its uncertainty.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Interval {
    pub estimate: f64,
    pub se: f64,
    pub low: f64,
    pub high: f64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Share {
    pub code: String,
    pub label: Text,
    /// Respondents who chose it.
    pub count: usize,
    /// Of those who answered, unweighted.
    pub share: f64,
    pub weighted: Option<Interval>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Mean {
    pub unweighted: f64,
    pub weighted: Option<Interval>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QuestionResult {
    pub code: String,
    pub kind: Kind,
    pub label: Text,
    /// Respondents who answered it.
    pub answered: usize,
    /// Single, multiple choice and scale points; for a ranking, the share who put it first.
    pub shares: Vec<Share>,
    /// Scale and number; for a ranking, per option, in `ranks`.
    pub mean: Option<Mean>,
    /// A matrix: each row's shares.
    pub rows: Vec<(Choice, Vec<Share>)>,
    /// A ranking: each option's mean rank (1 = first), unweighted.
    pub ranks: Vec<(Choice, f64)>,
}

/// The weights of a raked panel and the design they were raked on (for the standard errors).
pub struct Weighted<'a> {
    pub weights: &'a [f64],
    pub design: &'a Design,
    /// The exact projection on the margins, when the design allows it (much faster than
    /// back-fitting on a large panel; the same residuals).
    pub projector: Option<&'a weighting::estimate::Projector<'a>>,
}

/// A group of respondents: their answers and, for a raked panel, their weights.
pub struct Group<'a> {
    pub answers: Vec<&'a Answers>,
    pub weighted: Option<Weighted<'a>>,
}

impl Group<'_> {
    pub fn len(&self) -> usize {
        self.answers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }
}

/// The weighted mean of `y` over the respondents who answered (`y[i]` is `None` for the
/// others), with the linearised standard error of the raked estimator: one projection on the
/// raking margins per figure. `share` clips the interval to [0, 1].
fn weighted(w: &Weighted<'_>, y: &[Option<f64>], share: bool) -> Option<Interval> {
    let wd: f64 = y
        .iter()
        .zip(w.weights)
        .filter(|(v, _)| v.is_some())
        .map(|(_, w)| w)
        .sum();
    if wd <= 0.0 || y.len() != w.weights.len() {
        return None;
    }
    let est = y
        .iter()
        .zip(w.weights)
        .filter_map(|(v, w)| v.map(|v| v * w))
        .sum::<f64>()
        / wd;
    let se = if w.design.margins.is_empty() {
        f64::NAN
    } else {
        let z: Vec<f64> = y
            .iter()
            .map(|v| v.map(|v| (v - est) / wd).unwrap_or(0.0))
            .collect();
        match w.projector {
            Some(p) => p.se(w.weights, &z),
            None => weighting::estimate::linearised_se(w.design, w.weights, &z, Sweeps::Converged),
        }
    };
    let (mut low, mut high) = (
        est - weighting::estimate::Z_975 * se,
        est + weighting::estimate::Z_975 * se,
    );
    if share {
        low = low.max(0.0);
        high = high.min(1.0);
    }
    Some(Interval {
        estimate: est,
        se,
        low,
        high,
    })
}

fn shares_of(
    choices: &[Choice],
    group: &Group<'_>,
    picked: &dyn Fn(&Answers) -> Option<Vec<String>>,
) -> (usize, Vec<Share>) {
    let picks: Vec<Option<Vec<String>>> = group.answers.iter().map(|a| picked(a)).collect();
    let answered = picks.iter().filter(|p| p.is_some()).count();
    let shares = choices
        .iter()
        .map(|c| {
            let count = picks
                .iter()
                .filter(|p| p.as_ref().is_some_and(|l| l.contains(&c.code)))
                .count();
            let weighted = group
                .weighted
                .as_ref()
                .filter(|_| answered > 0)
                .and_then(|w| {
                    let y: Vec<Option<f64>> = picks
                        .iter()
                        .map(|p| {
                            p.as_ref()
                                .map(|l| if l.contains(&c.code) { 1.0 } else { 0.0 })
                        })
                        .collect();
                    weighted(w, &y, true)
                });
            Share {
                code: c.code.clone(),
                label: c.label.clone(),
                count,
                share: if answered > 0 {
                    count as f64 / answered as f64
                } else {
                    0.0
                },
                weighted,
            }
        })
        .collect();
    (answered, shares)
}

fn mean_of(group: &Group<'_>, number: &dyn Fn(&Answers) -> Option<f64>) -> (usize, Option<Mean>) {
    let values: Vec<Option<f64>> = group.answers.iter().map(|a| number(a)).collect();
    let answered: Vec<f64> = values.iter().flatten().copied().collect();
    if answered.is_empty() {
        return (0, None);
    }
    let unweighted = answered.iter().sum::<f64>() / answered.len() as f64;
    let weighted = group
        .weighted
        .as_ref()
        .and_then(|w| weighted(w, &values, false));
    (
        answered.len(),
        Some(Mean {
            unweighted,
            weighted,
        }),
    )
}

/// One question's results for a group.
pub fn question(q: &Question, group: &Group<'_>) -> QuestionResult {
    let get = |a: &Answers| a.get(&q.code).cloned();
    let mut r = QuestionResult {
        code: q.code.clone(),
        kind: q.kind,
        label: q.label.clone(),
        answered: 0,
        shares: Vec::new(),
        mean: None,
        rows: Vec::new(),
        ranks: Vec::new(),
    };
    match q.kind {
        Kind::Single | Kind::Multiple => {
            let (n, s) = shares_of(&q.options, group, &|a| match get(a)? {
                Value::Str(s) => Some(vec![s]),
                Value::List(l) => Some(l),
                _ => None,
            });
            r.answered = n;
            r.shares = s;
        }
        Kind::Scale => {
            let points: Vec<Choice> = q
                .scale_points()
                .into_iter()
                .map(|p| Choice {
                    code: p.to_string(),
                    label: Text::new(&p.to_string(), ""),
                })
                .collect();
            let (n, s) = shares_of(&points, group, &|a| {
                get(a)?.as_number().map(|n| vec![(n as i64).to_string()])
            });
            r.answered = n;
            r.shares = s;
            r.mean = mean_of(group, &|a| get(a)?.as_number()).1;
        }
        Kind::Number => {
            let (n, m) = mean_of(group, &|a| get(a)?.as_number());
            r.answered = n;
            r.mean = m;
        }
        Kind::ShortText | Kind::LongText => {
            r.answered = group
                .answers
                .iter()
                .filter(|a| a.contains_key(&q.code))
                .count();
        }
        Kind::Matrix => {
            r.answered = group
                .answers
                .iter()
                .filter(|a| a.contains_key(&q.code))
                .count();
            for row in &q.rows {
                let (_, s) = shares_of(&q.options, group, &|a| match get(a)? {
                    Value::Map(m) => m.get(&row.code).map(|c| vec![c.clone()]),
                    _ => None,
                });
                r.rows.push((row.clone(), s));
            }
        }
        Kind::Ranking => {
            let (n, s) = shares_of(&q.options, group, &|a| {
                get(a)?.as_list().first().map(|c| vec![c.clone()])
            });
            r.answered = n;
            r.shares = s;
            for o in &q.options {
                let ranks: Vec<f64> = group
                    .answers
                    .iter()
                    .filter_map(|a| {
                        let l = a.get(&q.code)?.as_list().to_vec();
                        l.iter().position(|c| *c == o.code).map(|p| p as f64 + 1.0)
                    })
                    .collect();
                let mean = if ranks.is_empty() {
                    f64::NAN
                } else {
                    ranks.iter().sum::<f64>() / ranks.len() as f64
                };
                r.ranks.push((o.clone(), mean));
            }
        }
    }
    r
}

/// Every question's results for a group.
pub fn all(def: &Definition, group: &Group<'_>) -> Vec<QuestionResult> {
    def.questions().map(|q| question(q, group)).collect()
}

/// A single-choice (or multiple-choice, or scale) question's shares in each category of a
/// profile variable (sexe, age, quartier…): the cross-tabulation. Categories in their order of
/// first appearance sorted by name; respondents without a value are left out.
pub fn crosstab<'a>(
    q: &Question,
    group: &Group<'a>,
    profiles: &[&'a BTreeMap<String, String>],
    variable: &str,
) -> Vec<(String, QuestionResult)> {
    let mut categories: Vec<&str> = profiles
        .iter()
        .filter_map(|p| p.get(variable).map(String::as_str))
        .filter(|v| !v.is_empty())
        .collect();
    categories.sort_unstable();
    categories.dedup();
    categories
        .into_iter()
        .map(|cat| {
            let answers: Vec<&Answers> = group
                .answers
                .iter()
                .zip(profiles)
                .filter(|(_, p)| p.get(variable).is_some_and(|v| v == cat))
                .map(|(a, _)| *a)
                .collect();
            // Within a category, weighted shares are ratios of weights; their intervals would
            // need a domain estimator: the cross-table gives the weighted share, not the interval.
            let sub = Group {
                answers,
                weighted: None,
            };
            let mut r = question(q, &sub);
            if let Some(w) = &group.weighted {
                let in_cat: Vec<usize> = profiles
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.get(variable).is_some_and(|v| v == cat))
                    .map(|(i, _)| i)
                    .collect();
                weigh_shares(q, &mut r, &in_cat, group, w.weights);
            }
            (cat.to_string(), r)
        })
        .collect()
}

/// Weighted shares (no interval) over the respondents `rows` of `group`.
fn weigh_shares(
    q: &Question,
    r: &mut QuestionResult,
    rows: &[usize],
    group: &Group<'_>,
    w: &[f64],
) {
    let picked = |a: &Answers| -> Option<Vec<String>> {
        match (q.kind, a.get(&q.code)?) {
            (_, Value::Str(s)) => Some(vec![s.clone()]),
            (Kind::Ranking, Value::List(l)) => l.first().map(|c| vec![c.clone()]),
            (_, Value::List(l)) => Some(l.clone()),
            (_, Value::Number(n)) => Some(vec![(*n as i64).to_string()]),
            _ => None,
        }
    };
    let answered: Vec<(f64, Vec<String>)> = rows
        .iter()
        .filter_map(|&i| picked(group.answers[i]).map(|p| (w[i], p)))
        .collect();
    let total: f64 = answered.iter().map(|(w, _)| w).sum();
    for s in &mut r.shares {
        let sum: f64 = answered
            .iter()
            .filter(|(_, p)| p.contains(&s.code))
            .map(|(w, _)| w)
            .sum();
        let est = if total > 0.0 { sum / total } else { 0.0 };
        s.weighted = Some(Interval {
            estimate: est,
            se: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::Section;
    use weighting::design::Margin;

    fn choice(c: &str) -> Choice {
        Choice {
            code: c.into(),
            label: Text::new(c, ""),
        }
    }

    fn q(code: &str, kind: Kind, options: &[&str]) -> Question {
        Question {
            code: code.into(),
            kind,
            label: Text::new(code, ""),
            help: Text::default(),
            mandatory: false,
            options: options.iter().map(|o| choice(o)).collect(),
            rows: vec![],
            max_choices: None,
            min: Some(1.0),
            max: Some(5.0),
            conditions: vec![],
        }
        .fix()
    }

    trait Fix {
        fn fix(self) -> Self;
    }
    impl Fix for Question {
        fn fix(mut self) -> Self {
            if self.kind != Kind::Scale && self.kind != Kind::Number {
                self.min = None;
                self.max = None;
            }
            self
        }
    }

    fn answers(pairs: &[(&str, Value)]) -> Answers {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn a_multiple_choice_counts_options_not_combinations() {
        let q = q("formes", Kind::Multiple, &["a", "b", "c"]);
        let list = |l: &[&str]| Value::List(l.iter().map(|s| s.to_string()).collect());
        let rs = [
            answers(&[("formes", list(&["a", "b"]))]),
            answers(&[("formes", list(&["a"]))]),
            answers(&[("formes", list(&["b", "c"]))]),
            answers(&[]),
        ];
        let g = Group {
            answers: rs.iter().collect(),
            weighted: None,
        };
        let r = question(&q, &g);
        assert_eq!(r.answered, 3);
        let counts: Vec<usize> = r.shares.iter().map(|s| s.count).collect();
        assert_eq!(counts, vec![2, 2, 1]);
        assert!((r.shares[0].share - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn weighted_shares_follow_the_weights_and_carry_an_interval() {
        let q = q("aide", Kind::Single, &["oui", "non"]);
        let s = |v: &str| answers(&[("aide", Value::Str(v.into()))]);
        let rs = [s("oui"), s("oui"), s("non"), s("non"), s("non"), s("oui")];
        // Two groups (codes 0 and 1) of three; the first weighs three times the second.
        let design = Design::from_codes(vec![Margin {
            variable: "sexe".into(),
            categories: vec!["F".into(), "H".into()],
            targets: vec![9.0, 3.0],
            codes: vec![0, 0, 0, 1, 1, 1],
        }])
        .unwrap();
        let weights = [3.0, 3.0, 3.0, 1.0, 1.0, 1.0];
        let g = Group {
            answers: rs.iter().collect(),
            weighted: Some(Weighted {
                weights: &weights,
                design: &design,
                projector: None,
            }),
        };
        let r = question(&q, &g);
        let oui = &r.shares[0];
        assert!((oui.share - 0.5).abs() < 1e-12);
        let w = oui.weighted.unwrap();
        // (3 + 3 + 1) / 12
        assert!((w.estimate - 7.0 / 12.0).abs() < 1e-12);
        assert!(w.se > 0.0 && w.low < w.estimate && w.estimate < w.high);
        let sum: f64 = r.shares.iter().map(|s| s.weighted.unwrap().estimate).sum();
        assert!((sum - 1.0).abs() < 1e-12);
    }

    /// The figures are those of the weighting crate's estimator (itself checked against R's
    /// `svymean` on a raked design), one projection per figure instead of one per category.
    #[test]
    fn the_interval_is_the_weighting_crates_linearised_one() {
        let q = q("aide", Kind::Single, &["oui", "non", "nsp"]);
        let codes = [
            "oui", "non", "oui", "nsp", "oui", "non", "non", "oui", "nsp", "oui",
        ];
        let rs: Vec<Answers> = codes
            .iter()
            .map(|c| answers(&[("aide", Value::Str(c.to_string()))]))
            .collect();
        let design = Design::from_codes(vec![
            Margin {
                variable: "sexe".into(),
                categories: vec!["F".into(), "H".into()],
                targets: vec![6.0, 4.0],
                codes: vec![0, 0, 0, 0, 1, 1, 1, 0, 1, 0],
            },
            Margin {
                variable: "age".into(),
                categories: vec!["jeune".into(), "vieux".into()],
                targets: vec![5.0, 5.0],
                codes: vec![0, 1, 0, 1, 0, 1, 0, 0, 1, 1],
            },
        ])
        .unwrap();
        let raked = weighting::rake(&design, None, &weighting::RakeOptions::default()).unwrap();
        let g = Group {
            answers: rs.iter().collect(),
            weighted: Some(Weighted {
                weights: &raked.weights,
                design: &design,
                projector: None,
            }),
        };
        let r = question(&q, &g);
        let values: Vec<Option<&str>> = codes.iter().map(|c| Some(*c)).collect();
        let e = weighting::estimate::estimate_values(
            &design,
            &raked.weights,
            "aide",
            &values,
            weighting::EstimateKind::Shares,
            Sweeps::Converged,
        )
        .unwrap();
        for s in &r.shares {
            let want = e.rows.iter().find(|x| x.category == s.code).unwrap();
            let got = s.weighted.unwrap();
            assert!((got.estimate - want.estimate).abs() < 1e-12, "{}", s.code);
            assert!(
                (got.se - want.se).abs() < 1e-12,
                "{}: {} {}",
                s.code,
                got.se,
                want.se
            );
            assert!((got.low - want.ci_low).abs() < 1e-12);
        }
        // The exact projection gives the same figures.
        let projector = weighting::estimate::Projector::new(&design).expect("full rank");
        let g = Group {
            answers: rs.iter().collect(),
            weighted: Some(Weighted {
                weights: &raked.weights,
                design: &design,
                projector: Some(&projector),
            }),
        };
        for (a, b) in question(&q, &g).shares.iter().zip(&r.shares) {
            let (a, b) = (a.weighted.unwrap(), b.weighted.unwrap());
            assert!(
                (a.se - b.se).abs() < 1e-10 * b.se.max(1e-3),
                "{} {}",
                a.se,
                b.se
            );
        }
    }

    #[test]
    fn scales_rankings_and_matrices_have_their_figures() {
        let scale = q("note", Kind::Scale, &[]);
        let mut m = q("m", Kind::Matrix, &["1", "2"]);
        m.rows = vec![choice("r1"), choice("r2")];
        let rank = q("rang", Kind::Ranking, &["x", "y"]);
        let d = Definition {
            sections: vec![Section {
                title: Text::new("S", ""),
                intro: Text::default(),
                questions: vec![scale, m, rank],
            }],
        };
        let rs = [
            answers(&[
                ("note", Value::Number(2.0)),
                ("m", Value::Map([("r1".into(), "1".into())].into())),
                ("rang", Value::List(vec!["y".into(), "x".into()])),
            ]),
            answers(&[
                ("note", Value::Number(5.0)),
                ("rang", Value::List(vec!["y".into()])),
            ]),
        ];
        let g = Group {
            answers: rs.iter().collect(),
            weighted: None,
        };
        let r = all(&d, &g);
        assert_eq!(r[0].mean.as_ref().unwrap().unweighted, 3.5);
        assert_eq!(r[0].shares.len(), 5);
        assert_eq!(r[0].shares[1].count, 1);
        assert_eq!(r[1].rows[0].1[0].count, 1);
        assert_eq!(r[1].rows[1].1[0].count, 0);
        assert_eq!(r[2].shares[1].share, 1.0);
        assert_eq!(r[2].ranks[0].1, 2.0);
        assert_eq!(r[2].ranks[1].1, 1.0);
    }

    #[test]
    fn the_crosstab_splits_by_a_profile_variable() {
        let q = q("aide", Kind::Single, &["oui", "non"]);
        let s = |v: &str| answers(&[("aide", Value::Str(v.into()))]);
        let rs = [s("oui"), s("non"), s("oui")];
        let p =
            |v: &str| -> BTreeMap<String, String> { [("sexe".to_string(), v.to_string())].into() };
        let ps = [p("F"), p("H"), p("F")];
        let g = Group {
            answers: rs.iter().collect(),
            weighted: None,
        };
        let t = crosstab(&q, &g, &ps.iter().collect::<Vec<_>>(), "sexe");
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].0, "F");
        assert_eq!(t[0].1.shares[0].share, 1.0);
        assert_eq!(t[1].1.shares[1].count, 1);
    }
}
