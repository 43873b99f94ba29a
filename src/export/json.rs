//! JSON: the serde form of the report types, pretty-printed; one object for
//! one scenario, an array for several.

use serde::Serialize;

use super::TextExporter;
use super::{ExportError, Result};
use crate::aggregate::{
    FitReport, KpiReport, PointReport, SensitivityReport, SolveReport, StressReport, Summary,
    SweepReport, TrackReport,
};

/// JSON exporter.
pub struct Json;

fn render<T: Serialize>(items: &[T]) -> Result<String> {
    let r = match items {
        [one] => serde_json::to_string_pretty(one),
        many => serde_json::to_string_pretty(many),
    };
    r.map(|s| s + "\n")
        .map_err(|e| ExportError::Render(format!("cannot render JSON: {e}")))
}

impl TextExporter for Json {
    fn run(&self, summaries: &[Summary]) -> Result<String> {
        render(summaries)
    }
    fn point(&self, plans: &[PointReport]) -> Result<String> {
        render(plans)
    }
    fn stress(&self, report: &StressReport) -> Result<String> {
        render(std::slice::from_ref(report))
    }
    fn sweep(&self, report: &SweepReport) -> Result<String> {
        render(std::slice::from_ref(report))
    }
    fn kpis(&self, report: &KpiReport) -> Result<String> {
        render(std::slice::from_ref(report))
    }
    fn sensitivity(&self, report: &SensitivityReport) -> Result<String> {
        render(std::slice::from_ref(report))
    }
    fn solve(&self, report: &SolveReport) -> Result<String> {
        render(std::slice::from_ref(report))
    }
    fn fit(&self, report: &FitReport) -> Result<String> {
        render(std::slice::from_ref(report))
    }
    fn track(&self, report: &TrackReport) -> Result<String> {
        render(std::slice::from_ref(report))
    }
}
