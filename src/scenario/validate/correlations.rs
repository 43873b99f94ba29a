//! `[[correlations]]`: rank correlations between uncertain inputs, applied
//! through a Gaussian copula. Each entry must name two different whole
//! inputs that are not fixed, once per pair, with a rank in [-1, 1]; and
//! together they must be possible: the matrix of their normal-score
//! correlations (Pearson `2 sin(π r / 6)` of each rank r) must be positive
//! semi-definite. When it is not, the entry most at odds with the others is
//! named: the one without which the rest come closest to possible.

use nalgebra::DMatrix;

use super::super::raw::RawCorrelation;
use super::super::spans::FieldPath;
use super::super::{Correlation, Input, ScenarioErrorKind as Rule};
use super::Checker;
use crate::distr::Dist;
use crate::present::num;

/// Tolerance of the semi-definiteness check: rounding of a valid matrix.
const EIGEN_TOLERANCE: f64 = 1e-9;

/// The normal-score (Pearson) correlation of Spearman rank correlation `r`
/// under a Gaussian copula.
pub fn normal_score_correlation(r: f64) -> f64 {
    2.0 * (std::f64::consts::PI * r / 6.0).sin()
}

/// Checks the `[[correlations]]` entries against the scenario's `inputs`
/// (paths and inputs, in [`super::super::Scenario::inputs`] order).
pub(crate) fn correlations(
    c: &mut Checker,
    raw: &[RawCorrelation],
    inputs: &[(String, &Input)],
) -> Vec<Correlation> {
    let root = FieldPath::default().key("correlations");
    let names: Vec<String> = inputs.iter().map(|(p, _)| p.clone()).collect();
    let mut out: Vec<Correlation> = Vec::new();
    let mut sites: Vec<usize> = Vec::new();
    for (k, entry) in raw.iter().enumerate() {
        let p = root.index(k);
        let before = c.problems.len();
        let mut idx = [0usize; 2];
        for (side, path) in entry.between.iter().enumerate().take(2) {
            match names.iter().position(|n| n == path) {
                Some(i) => {
                    idx[side] = i;
                    if let Dist::Fixed(_) = inputs[i].1.dist {
                        c.fail(
                            &p.key("between").index(side),
                            Some(format!("{path:?}")),
                            Rule::FixedInput(path.clone()),
                        );
                    }
                }
                None => c.fail(
                    &p.key("between").index(side),
                    Some(format!("{path:?}")),
                    Rule::NotAnInput {
                        inputs: names.clone(),
                    },
                ),
            }
        }
        if c.problems.len() == before && idx[0] == idx[1] {
            c.fail(&p.key("between"), None, Rule::SameInput);
        }
        if c.finite(&p.key("rank"), entry.rank) && !(-1.0..=1.0).contains(&entry.rank) {
            c.fail(&p.key("rank"), Some(num(entry.rank)), Rule::RankOutside);
        }
        if c.problems.len() != before {
            continue;
        }
        let pair = [idx[0].min(idx[1]), idx[0].max(idx[1])];
        if let Some(j) = out.iter().position(|e| e.between == pair) {
            c.fail(&p.key("between"), None, Rule::PairTwice(sites[j]));
            continue;
        }
        out.push(Correlation {
            between: pair,
            rank: entry.rank,
        });
        sites.push(k);
    }
    if let Some((j, eigenvalue)) = most_at_odds(&out, inputs.len()) {
        let [a, b] = out[j].between;
        c.fail(
            &root.index(sites[j]).key("rank"),
            Some(num(out[j].rank)),
            Rule::NotPositiveSemiDefinite {
                eigenvalue,
                pair: (names[a].clone(), names[b].clone()),
            },
        );
    }
    out
}

/// The smallest eigenvalue of the normal-score correlation matrix of
/// `entries` among `n` inputs, leaving out entry `skip`.
fn smallest_eigenvalue(entries: &[Correlation], n: usize, skip: Option<usize>) -> f64 {
    let mut r = DMatrix::<f64>::identity(n, n);
    for (j, e) in entries.iter().enumerate() {
        if Some(j) == skip {
            continue;
        }
        let [a, b] = e.between;
        let rho = normal_score_correlation(e.rank);
        r[(a, b)] = rho;
        r[(b, a)] = rho;
    }
    r.symmetric_eigenvalues()
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
}

/// When the correlations are impossible together: the entry whose removal
/// leaves the others closest to possible (the largest smallest eigenvalue
/// without it), and the smallest eigenvalue with all of them.
fn most_at_odds(entries: &[Correlation], n: usize) -> Option<(usize, f64)> {
    if entries.is_empty() {
        return None;
    }
    let lambda = smallest_eigenvalue(entries, n, None);
    if lambda >= -EIGEN_TOLERANCE {
        return None;
    }
    let blame = (0..entries.len())
        .map(|j| (j, smallest_eigenvalue(entries, n, Some(j))))
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(j, _)| j)?;
    Some((blame, lambda))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_normal_score_correlation_keeps_the_ends_and_zero() {
        assert_eq!(normal_score_correlation(0.0), 0.0);
        assert!((normal_score_correlation(1.0) - 1.0).abs() < 1e-15);
        assert!((normal_score_correlation(-1.0) + 1.0).abs() < 1e-15);
        assert!(normal_score_correlation(0.5) > 0.5);
    }

    #[test]
    fn an_impossible_set_names_an_entry_it_is_possible_without() {
        // a ~ b and b ~ c strongly, a ~ c negative: impossible together.
        let e = |a, b, rank| Correlation {
            between: [a, b],
            rank,
        };
        let (_, lambda) = most_at_odds(&[e(0, 1, 0.9), e(1, 2, 0.9), e(0, 2, -0.9)], 3)
            .expect("not semi-definite");
        assert!(lambda < 0.0);
        let set = [e(0, 1, 0.9), e(1, 2, 0.9), e(0, 2, -0.2), e(2, 3, 0.1)];
        let (j, _) = most_at_odds(&set, 4).expect("not semi-definite");
        assert!(
            smallest_eigenvalue(&set, 4, Some(j)) >= -EIGEN_TOLERANCE,
            "without entry {j} the set is still impossible"
        );
        assert!(most_at_odds(&[e(0, 1, 0.9), e(1, 2, 0.9), e(0, 2, 0.7)], 3).is_none());
    }
}
