//! What runs add up to: the run summary, the point plan, stress cases
//! compared on common random numbers, sweeps, the department KPI sheet,
//! sensitivity, solve, fit, track, the risk report and every trial's
//! table; and the pieces they share ([`Header`], [`Bands`],
//! [`Probabilities`]). Each report is one `Serialize` type, the single
//! source of its JSON, with the same header; how it is shown is
//! `export`'s.

mod assumptions;
mod bands;
mod compare;
mod explain;
mod fit;
mod header;
mod kpis;
mod path;
mod point;
mod risk;
mod sensitivity;
mod solve;
mod summary;
mod sweep;
mod targets;
mod track;
mod trials;

pub use assumptions::{
    Assumptions, CaseAssumption, CorrelationAssumption, InputAssumption, ONLY_UNDER,
    ScheduleAssumption, SegmentAssumption, ShockAssumption,
};
pub use bands::{Bands, PERCENTILES, band_at, band_of, mean_at, quantiles_at};
pub use compare::{CaseAnnual, CaseResult, Low, StressReport, paired_change, paired_changes};
pub use explain::{
    Ask, Bound, DENSITY, ExplainReport, MIN_MASS, PEEL, PICTURED, Peel, Picture, PrimBox, Shift,
    Side, Step, Trials, median,
};
pub use fit::{Coverage, FitReport, FittedOn, HOLDOUT_METRICS, HeldOut, Holdout};
pub use header::{Header, Origin, Precision};
pub use kpis::{Kpi, KpiMonth, KpiReport, SegmentKpis};
pub use path::{Ends, FEWEST, NEAR, PathMonth, PathToTarget, SegmentPath, TargetPath, WINDOW};
pub use point::PointReport;
pub use risk::{BINS, Histogram, RiskReport};
pub use sensitivity::{Baseline, InputSensitivity, SensitivityReport, Swing, spearman};
pub use solve::{SolveReport, Tried};
pub use summary::{MonthBands, Reached, SegmentMonth, SegmentSummary, Summary};
pub use sweep::{Crossing, SweepPoint, SweepReport, crossing, crossings};
pub use targets::{Pair, Probabilities, probabilities};
pub use track::{ActualMonth, Needed, TrackReport, WARNED_METRICS, Warning, warnings};
pub use trials::{TrialTable, TrialValues, monthly_column};
