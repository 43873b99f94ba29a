//! The department KPI sheet of a scenario, or of a variant of it (a solved
//! plan).

use super::{Result, Sim, path_to_target};
use crate::aggregate::KpiReport;
use crate::model::Model;
use crate::scenario::{Loaded, Scenario};

/// The KPI sheet of `l`, simulated as `sim` says.
pub fn kpi_report(l: &Loaded, confidence: Option<f64>, sim: impl Into<Sim>) -> Result<KpiReport> {
    kpi_report_of(&l.scenario, l, confidence, &sim.into())
}

/// The KPI sheet of `scenario`, a variant of `l` (a solved plan).
pub fn kpi_report_of(
    scenario: &Scenario,
    l: &Loaded,
    confidence: Option<f64>,
    sim: &Sim,
) -> Result<KpiReport> {
    let model = Model::compile(scenario).with_arpu_series();
    let (output, precision) = sim.run(&model)?;
    let labels = scenario.labels();
    let path = path_to_target(&model, sim, &output, labels.as_ref())?;
    Ok(KpiReport::build(
        sim.header(l, output.trials, precision),
        &model,
        &output,
        labels,
        confidence,
        &path,
    ))
}
