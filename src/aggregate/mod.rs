//! Mergeable accumulators and the run summary built from them.

mod compare;
mod histogram;
mod kpis;
mod moments;
mod quantile;
mod summary;
mod sweep;

pub use compare::{CaseAnnual, CaseResult, Low, StressReport, paired_change, paired_changes};
pub use histogram::{LogHistogram, RELATIVE_ERROR, TINY};
pub use kpis::{Kpi, KpiMeta, KpiMonth, KpiReport, SegmentKpis};
pub use moments::Moments;
pub use quantile::exact_quantiles;
pub use summary::{
    Bands, MonthBands, PERCENTILES, Pair, Probabilities, RunMeta, SegmentMonth, SegmentSummary,
    Summary,
};
pub use sweep::{Crossing, SweepPoint, SweepReport, crossing, crossings};

/// Everything a run accumulated, merged over chunks: what [`Summary`] is
/// built from.
#[derive(Debug)]
pub struct Accumulated {
    /// Number of trials.
    pub trials: u64,
    /// Trials hitting the revenue target, the profit target, both.
    pub hits: [u64; 3],
    /// Moments of annual revenue and profit.
    pub annual: Pair<Moments>,
    /// Every trial's annual revenue and profit less `annual_shift`, as f32:
    /// exact percentiles at 8 bytes a trial.
    pub annual_values: Pair<Vec<f32>>,
    /// What `annual_values` are measured from (the point plan's figures).
    pub annual_shift: Pair<f64>,
    /// Smallest and largest annual revenue and profit: no percentile lies
    /// outside them (f32 rounding of a deviation could put one there).
    pub annual_range: Pair<(f64, f64)>,
    /// Per monthly series (metric-major, then month): histogram and moments.
    pub series: Vec<(LogHistogram, Moments)>,
}
