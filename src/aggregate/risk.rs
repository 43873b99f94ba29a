//! `kpisim report`: everything the HTML risk report shows, gathered from
//! one main run (the summary, the KPI sheet and the annual histograms), the
//! sensitivity runs and, when the scenario has stress cases, the stress
//! runs. Renderers only read it.

use super::compare::StressReport;
use super::explain::ExplainReport;
use super::kpis::KpiReport;
use super::sensitivity::SensitivityReport;
use super::summary::Summary;
use super::targets::Pair;
use crate::engine::PerTrial;

/// Bins of a histogram of annual values.
pub const BINS: usize = 40;

/// The central 99% of one per-trial quantity in equal bins; the trials
/// outside it are counted apart, so that a few extreme trials do not squash
/// the picture.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Histogram {
    /// Left edge of the first bin, in the quantity's unit (CNY for annual
    /// revenue and profit): its 0.5th percentile over all trials.
    pub lo: f64,
    /// Width of every bin, same unit: (P99.5 − P0.5) / bins (1 when they
    /// are equal).
    pub width: f64,
    /// Trials in each bin, lowest first.
    pub counts: Vec<u64>,
    /// Trials below `lo` (about 0.5% of them).
    pub below: u64,
    /// Trials above the last bin's right edge, the 99.5th percentile.
    pub above: u64,
}

impl Histogram {
    /// The histogram of `p` in `bins` bins between its 0.5th and 99.5th
    /// percentiles.
    pub fn of(p: &PerTrial, bins: usize) -> Histogram {
        let q = p.quantiles(&[0.005, 0.995]);
        let (lo, hi) = (q[0], q[1]);
        let width = if hi > lo {
            (hi - lo) / bins as f64
        } else {
            1.0
        };
        let mut counts = vec![0u64; bins];
        let (mut below, mut above) = (0, 0);
        for &v in &p.values {
            let x = v as f64 + p.shift;
            if x < lo {
                below += 1;
            } else {
                let i = ((x - lo) / width) as usize;
                match counts.get_mut(i) {
                    Some(c) => *c += 1,
                    None if x <= hi => counts[bins - 1] += 1,
                    None => above += 1,
                }
            }
        }
        Histogram {
            lo,
            width,
            counts,
            below,
            above,
        }
    }

    /// Centre of bin `i`.
    pub fn centre(&self, i: usize) -> f64 {
        self.lo + (i as f64 + 0.5) * self.width
    }
}

/// What the risk report shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RiskReport {
    /// The main run's summary, as `kpisim run` gives it.
    pub summary: Summary,
    /// The department KPI sheet, from the same run.
    pub kpis: KpiReport,
    /// Annual revenue and profit, binned, from the same run.
    pub histograms: Pair<Histogram>,
    /// Each uncertain input's swing, from the sensitivity runs.
    pub sensitivity: SensitivityReport,
    /// What the years that miss both targets share, from the main run.
    pub explain: ExplainReport,
    /// The stress cases, when the scenario has any.
    pub stress: Option<StressReport>,
}
