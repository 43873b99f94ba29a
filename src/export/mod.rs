//! Renderers: one file per format behind one trait; every trial's table;
//! and the output files every report goes through, checked before any work
//! and written all or nothing ([`files`]).

pub mod charts;
mod csv;
mod error;
mod history_csv;
mod history_table;
pub mod html;
mod json;
mod table;
mod trials;
mod xlsx;

pub use error::ExportError;
pub use trials::{TrialsFormat, write_trials};

use crate::aggregate::{
    FitReport, KpiReport, PointReport, SensitivityReport, SolveReport, StressReport, Summary,
    SweepReport, TrackReport,
};

/// What a renderer returns.
pub type Result<T> = std::result::Result<T, ExportError>;

/// Output formats of the report commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people (money as 460.8M).
    Table,
    /// JSON (docs/output.md): one object, or an array for several scenarios.
    Json,
    /// CSV, long format: one row per scenario, month and metric.
    Csv,
    /// An Excel workbook (.xlsx): one sheet a table, numbers as number
    /// cells, a native chart; to a file only.
    Xlsx,
}

/// Renders reports in one format, as the bytes of the output.
pub trait Exporter {
    /// `kpisim run` summaries.
    fn run(&self, summaries: &[Summary]) -> Result<Vec<u8>>;
    /// `kpisim run --point` plans.
    fn point(&self, plans: &[PointReport]) -> Result<Vec<u8>>;
    /// `kpisim stress` results.
    fn stress(&self, report: &StressReport) -> Result<Vec<u8>>;
    /// `kpisim sweep` results.
    fn sweep(&self, report: &SweepReport) -> Result<Vec<u8>>;
    /// `kpisim kpis` sheets.
    fn kpis(&self, report: &KpiReport) -> Result<Vec<u8>>;
    /// `kpisim sensitivity` results.
    fn sensitivity(&self, report: &SensitivityReport) -> Result<Vec<u8>>;
    /// `kpisim solve` results.
    fn solve(&self, report: &SolveReport) -> Result<Vec<u8>>;
    /// `kpisim fit`'s report.
    fn fit(&self, report: &FitReport) -> Result<Vec<u8>>;
    /// `kpisim track` results.
    fn track(&self, report: &TrackReport) -> Result<Vec<u8>>;
}

/// The text formats, whose reports are strings.
trait TextExporter {
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
    /// `kpisim sensitivity` results.
    fn sensitivity(&self, report: &SensitivityReport) -> Result<String>;
    /// `kpisim solve` results.
    fn solve(&self, report: &SolveReport) -> Result<String>;
    /// `kpisim fit`'s report.
    fn fit(&self, report: &FitReport) -> Result<String>;
    /// `kpisim track` results.
    fn track(&self, report: &TrackReport) -> Result<String>;
    /// The finished text as written out.
    fn finish(&self, text: String) -> Vec<u8> {
        text.into_bytes()
    }
}

impl<T: TextExporter> Exporter for T {
    fn run(&self, summaries: &[Summary]) -> Result<Vec<u8>> {
        TextExporter::run(self, summaries).map(|t| self.finish(t))
    }
    fn point(&self, plans: &[PointReport]) -> Result<Vec<u8>> {
        TextExporter::point(self, plans).map(|t| self.finish(t))
    }
    fn stress(&self, report: &StressReport) -> Result<Vec<u8>> {
        TextExporter::stress(self, report).map(|t| self.finish(t))
    }
    fn sweep(&self, report: &SweepReport) -> Result<Vec<u8>> {
        TextExporter::sweep(self, report).map(|t| self.finish(t))
    }
    fn kpis(&self, report: &KpiReport) -> Result<Vec<u8>> {
        TextExporter::kpis(self, report).map(|t| self.finish(t))
    }
    fn sensitivity(&self, report: &SensitivityReport) -> Result<Vec<u8>> {
        TextExporter::sensitivity(self, report).map(|t| self.finish(t))
    }
    fn solve(&self, report: &SolveReport) -> Result<Vec<u8>> {
        TextExporter::solve(self, report).map(|t| self.finish(t))
    }
    fn fit(&self, report: &FitReport) -> Result<Vec<u8>> {
        TextExporter::fit(self, report).map(|t| self.finish(t))
    }
    fn track(&self, report: &TrackReport) -> Result<Vec<u8>> {
        TextExporter::track(self, report).map(|t| self.finish(t))
    }
}

/// The exporter of `format`.
pub fn exporter(format: Format) -> Box<dyn Exporter> {
    match format {
        Format::Table => Box::new(table::Table),
        Format::Json => Box::new(json::Json),
        Format::Csv => Box::new(csv::Csv),
        Format::Xlsx => Box::new(xlsx::Xlsx),
    }
}
