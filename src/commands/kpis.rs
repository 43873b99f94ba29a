//! `kpisim kpis`: the department KPI sheet.

use super::simulate::Sim;
use super::{emit, note_precision};
use crate::aggregate::KpiReport;
use crate::error::Result;
use crate::export::exporter;
use crate::model::Model;
use crate::options::KpisOptions;
use crate::scenario::{Loaded, Scenario};

/// Runs `kpisim kpis`.
pub fn kpis(opts: &KpisOptions) -> Result<()> {
    let loaded = super::load(&opts.scenario)?;
    let report = kpi_report(&loaded, opts.confidence, Sim::from_options(&opts.sim, 1))?;
    note_precision(&report.header);
    emit(&opts.out, &exporter(opts.out.format).kpis(&report)?)
}

/// The KPI sheet of `l`, simulated as `sim` says.
pub fn kpi_report(l: &Loaded, confidence: Option<f64>, sim: impl Into<Sim>) -> Result<KpiReport> {
    kpi_report_of(&l.scenario, l, confidence, &sim.into())
}

/// The KPI sheet of `scenario`, a variant of `l` (a solved plan).
pub(crate) fn kpi_report_of(
    scenario: &Scenario,
    l: &Loaded,
    confidence: Option<f64>,
    sim: &Sim,
) -> Result<KpiReport> {
    let model = Model::compile(scenario).with_arpu_series();
    let (output, precision) = sim.run(&model)?;
    Ok(KpiReport::build(
        sim.header(l, output.trials, precision),
        &model,
        &output,
        scenario.labels(),
        confidence,
    ))
}
