//! `kpisim sensitivity`: which assumption matters most. For each uncertain
//! input, the year with its level D held at its own P10 and at its P90
//! (everything else random, on the same draws), the rank correlation of its
//! drawn level with annual profit, and its share of the variance.

use serde::Serialize;

use super::Header;
use crate::scenario::InputKind;

/// Two values of a result: with the input held at its P10 and at its P90.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Swing {
    /// With the input's D at its 10th percentile.
    pub at_p10: f64,
    /// With the input's D at its 90th percentile.
    pub at_p90: f64,
}

impl Swing {
    /// `at_p90 - at_p10`.
    pub fn change(&self) -> f64 {
        self.at_p90 - self.at_p10
    }
}

/// One input's entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputSensitivity {
    /// The input's dotted path, e.g. `segments.big_r.arpu`.
    pub path: String,
    /// What it is: a rate, a cost per registration, an ARPU.
    #[serde(skip)]
    pub kind: InputKind,
    /// The 10th percentile of its level D's distribution, in the input's
    /// unit (CNY, or a fraction for a rate).
    pub p10: f64,
    /// The 90th percentile of its level D's distribution, in the same unit.
    pub p90: f64,
    /// Annual profit, CNY, averaged over all trials, with D held at each.
    pub profit: Swing,
    /// Annual revenue, CNY, averaged over all trials, with D held at each.
    pub revenue: Swing,
    /// The share 0..1 of trials hitting both targets, with D held at each.
    pub both: Swing,
    /// Spearman rank correlation of its drawn level with annual profit, in
    /// the baseline run (0 for an input that does not vary).
    pub spearman_profit: f64,
    /// Its share of the variance: its squared rank correlation over the sum
    /// of all inputs' (the "contribution to variance" of risk tools).
    pub variance_share: f64,
}

/// The result of `kpisim sensitivity` (docs/output.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityReport {
    /// Scenario, file, version, hash, trials a run, seed.
    #[serde(flatten)]
    pub header: Header,
    /// The baseline's mean annual profit and revenue, and P(both).
    pub baseline: Baseline,
    /// One entry per uncertain input, by the size of its profit swing.
    pub inputs: Vec<InputSensitivity>,
}

/// The baseline run's figures the swings are read against.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Baseline {
    /// Annual profit, CNY, averaged over the baseline's trials.
    pub profit: f64,
    /// Annual revenue, CNY, averaged over the baseline's trials.
    pub revenue: f64,
    /// Share 0..1 of the baseline's trials hitting both targets.
    pub both: f64,
}

impl SensitivityReport {
    /// The report of `inputs` (any order), sorted by the size of their
    /// profit swing, largest first, ties by path: an order that depends on
    /// nothing but the results.
    pub fn new(header: Header, baseline: Baseline, mut inputs: Vec<InputSensitivity>) -> Self {
        inputs.sort_by(|a, b| {
            b.profit
                .change()
                .abs()
                .total_cmp(&a.profit.change().abs())
                .then_with(|| a.path.cmp(&b.path))
        });
        // Summed in the sorted order, so that the file's order cannot move
        // the last bits.
        let total: f64 = inputs.iter().map(|i| i.spearman_profit.powi(2)).sum();
        for i in &mut inputs {
            i.variance_share = if total > 0.0 {
                i.spearman_profit.powi(2) / total
            } else {
                0.0
            };
        }
        SensitivityReport {
            header,
            baseline,
            inputs,
        }
    }
}

/// Ranks of `v`, 1-based, ties sharing their average rank.
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_unstable_by(|a, b| v[*a].total_cmp(&v[*b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && v[order[j + 1]] == v[order[i]] {
            j += 1;
        }
        let average = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            r[k] = average;
        }
        i = j + 1;
    }
    r
}

/// Spearman's rank correlation of `x` and `y`: Pearson's of their ranks
/// (ties averaged); 0 when either does not vary. Time: O(n log n).
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let (rx, ry) = (ranks(x), ranks(y));
    let n = rx.len() as f64;
    let mean = (n + 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        let (da, db) = (a - mean, b - mean);
        sxy += da * db;
        sxx += da * da;
        syy += db * db;
    }
    if sxx > 0.0 && syy > 0.0 {
        sxy / (sxx * syy).sqrt()
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_is_one_for_any_increasing_relation_and_zero_for_a_constant() {
        let x: Vec<f64> = (0..100).map(f64::from).collect();
        let y: Vec<f64> = x.iter().map(|v| v.powi(3) - 5.0).collect();
        assert!((spearman(&x, &y) - 1.0).abs() < 1e-12);
        let down: Vec<f64> = x.iter().map(|v| -v.exp()).collect();
        assert!((spearman(&x, &down) + 1.0).abs() < 1e-12);
        assert_eq!(spearman(&x, &[2.0; 100]), 0.0);
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
    }
}
