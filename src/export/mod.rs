//! Renderers: one file per format behind one trait, and the atomic file
//! writes every output goes through.

mod csv;
mod files;
mod json;
mod table;
mod trials;

pub use files::{FileTarget, Outputs, check_distinct, remove_pending, stdout_is_open};
pub use trials::{TrialsFormat, write_trials};

use serde::Serialize;

use crate::aggregate::{KpiReport, Pair, StressReport, Summary, SweepReport};
use crate::error::Result;
use crate::model::PointPlan;

/// Output formats of the report commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people (money as 460.8M).
    Table,
    /// JSON (docs/output.md): one object, or an array for several scenarios.
    Json,
    /// CSV, long format: one row per scenario, month and metric.
    Csv,
}

/// The point plan of one scenario, as reported.
#[derive(Debug, Clone, Serialize)]
pub struct PointReport {
    /// Scenario name.
    pub scenario: String,
    /// The scenario file as named.
    pub file: String,
    /// Version of kpisim.
    pub kpisim: &'static str,
    /// SHA-256 of the scenario file.
    pub scenario_sha256: String,
    /// Horizon.
    pub months: usize,
    /// Month labels, when the scenario has a `start`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<String>>,
    /// Annual targets.
    pub targets: Pair<f64>,
    /// The plan.
    #[serde(flatten)]
    pub plan: PointPlan,
}

/// Renders reports in one format.
pub trait Exporter {
    /// `kpisim run` summaries.
    fn run(&self, summaries: &[Summary]) -> Result<String>;
    /// `kpisim run --point` plans.
    fn point(&self, plans: &[PointReport]) -> Result<String>;
    /// `kpisim stress` results.
    fn stress(&self, report: &StressReport) -> Result<String>;
    /// `kpisim sweep` results.
    fn sweep(&self, report: &SweepReport) -> Result<String>;
    /// `kpisim kpis` sheets.
    fn kpis(&self, report: &KpiReport) -> Result<String>;
}

/// The exporter of `format`.
pub fn exporter(format: Format) -> Box<dyn Exporter> {
    match format {
        Format::Table => Box::new(table::Table),
        Format::Json => Box::new(json::Json),
        Format::Csv => Box::new(csv::Csv),
    }
}
