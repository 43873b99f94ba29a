//! Paired comparisons of runs on common random numbers (`kpisim stress`).

use serde::Serialize;

use super::{Header, Pair, Probabilities, Summary};
use crate::model::HitRule;

/// The change in a hit probability from `base` to `case`, trial by trial,
/// and its standard error.
///
/// With d_t = hit_case_t - hit_base_t in {-1, 0, 1}, the change is mean(d)
/// and its standard error sqrt(var(d) / n), var(d) = mean(d²) - mean(d)². Under
/// common random numbers most trials agree, so this is far smaller than the
/// unpaired sqrt(se_base² + se_case²). Time: O(n).
pub fn paired_change(base: &[u8], case: &[u8], bit: u8) -> (f64, f64) {
    let (up, down) = switches(base, case, bit);
    let n = base.len().max(1) as f64;
    let change = (up as f64 - down as f64) / n;
    let var = ((up + down) as f64 / n - change * change).max(0.0);
    (change, (var / n).sqrt())
}

/// Trials that gain the hit and trials that lose it.
fn switches(base: &[u8], case: &[u8], bit: u8) -> (u64, u64) {
    let (mut up, mut down) = (0u64, 0u64);
    for (b, c) in base.iter().zip(case) {
        match (b & bit != 0, c & bit != 0) {
            (false, true) => up += 1,
            (true, false) => down += 1,
            _ => {}
        }
    }
    (up, down)
}

/// The change and its standard error from Latin hypercube replicates of
/// `sizes` trials: the mean of the replicates' changes, and their spread
/// over the square root of their number.
pub fn replicated_change(base: &[u8], case: &[u8], bit: u8, sizes: &[u64]) -> (f64, f64) {
    let mut start = 0usize;
    let changes: Vec<f64> = sizes
        .iter()
        .map(|&n| {
            let end = start + n as usize;
            let (up, down) = switches(&base[start..end], &case[start..end], bit);
            start = end;
            (up as f64 - down as f64) / n.max(1) as f64
        })
        .collect();
    let k = changes.len() as f64;
    let total = base.len().max(1) as f64;
    let (up, down) = switches(base, case, bit);
    let mean = changes.iter().sum::<f64>() / k;
    let var = changes.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / (k - 1.0);
    ((up as f64 - down as f64) / total, (var / k).sqrt())
}

/// Paired changes of all three targets; with Latin hypercube replicates of
/// `replicates` trials, their standard errors from the replicates.
pub fn paired_changes(
    base: &[u8],
    case: &[u8],
    replicates: Option<&[u64]>,
) -> (Probabilities, Probabilities) {
    let [r, p, b] = HitRule::BITS.map(|bit| match replicates {
        None => paired_change(base, case, bit),
        Some(sizes) => replicated_change(base, case, bit, sizes),
    });
    (
        Probabilities {
            revenue: r.0,
            profit: p.0,
            both: b.0,
        },
        Probabilities {
            revenue: r.1,
            profit: p.1,
            both: b.1,
        },
    )
}

/// P5, P50 and mean of an annual figure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Low {
    /// 5th percentile over the case's trials, CNY: one year in twenty is
    /// lower.
    pub p5: f64,
    /// Median (50th percentile) over the case's trials, CNY.
    pub p50: f64,
    /// Mean over the case's trials, CNY.
    pub mean: f64,
}

/// Annual revenue and profit of a case.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CaseAnnual {
    /// Annual revenue (the sum of the months).
    pub revenue: Low,
    /// Annual profit (the sum of the months).
    pub profit: Low,
}

/// One stress case's result (docs/output.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseResult {
    /// Case name; the first is "baseline".
    pub name: String,
    /// Share of trials hitting each target.
    pub probability: Probabilities,
    /// Monte Carlo standard error of each.
    pub standard_error: Probabilities,
    /// Case minus baseline, trial by trial on the same draws: a difference
    /// of probabilities, -1..1 (0 for the baseline).
    pub change: Probabilities,
    /// Paired standard error of `change`.
    pub change_standard_error: Probabilities,
    /// The case's annual revenue and profit: P5, median and mean.
    pub annual: CaseAnnual,
}

impl CaseResult {
    /// The result of `name`, compared with the baseline's hit flags.
    pub fn new(
        name: &str,
        s: &Summary,
        base_hits: &[u8],
        hits: &[u8],
        replicates: Option<&[u64]>,
    ) -> Self {
        let (change, change_standard_error) = paired_changes(base_hits, hits, replicates);
        let low = |b: &super::bands::Bands| Low {
            p5: b.p5,
            p50: b.p50,
            mean: b.mean,
        };
        CaseResult {
            name: name.to_string(),
            probability: s.probability,
            standard_error: s.standard_error,
            change,
            change_standard_error,
            annual: CaseAnnual {
                revenue: low(&s.annual.revenue),
                profit: low(&s.annual.profit),
            },
        }
    }
}

/// The result of `kpisim stress`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StressReport {
    /// Scenario, file, version, hash, trials a case, seed.
    #[serde(flatten)]
    pub header: Header,
    /// The scenario's annual revenue and profit targets, CNY.
    pub targets: Pair<f64>,
    /// The baseline, then each case in file order.
    pub cases: Vec<CaseResult>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paired_change_counts_trials_that_switch() {
        // 10 trials: 2 lose the hit, 1 gains it.
        let base = [1, 1, 1, 0, 0, 1, 0, 1, 1, 0];
        let case = [0, 1, 0, 0, 1, 1, 0, 1, 1, 0];
        let (change, se) = paired_change(&base, &case, 1);
        assert!((change - (-0.1)).abs() < 1e-15);
        // E[d²] = 0.3, var = 0.3 - 0.01 = 0.29.
        assert!((se - (0.29f64 / 10.0).sqrt()).abs() < 1e-15);
        assert_eq!(paired_change(&base, &base, 1), (0.0, 0.0));
    }
}
