//! `kpisim report`: the HTML risk report. One main run gives the summary,
//! the KPI sheet and the annual histograms; the sensitivity runs and, with
//! stress cases, the stress runs follow on the same trials and seed. One
//! progress bar covers them all.

use super::simulate::Sim;
use super::{note_precision, sensitivity_report, stress_report};
use crate::aggregate::{BINS, Histogram, KpiReport, Pair, RiskReport, Summary};
use crate::error::Result;
use crate::export::{charts, html};
use crate::model::Model;
use crate::options::ReportOptions;
use crate::output::Outputs;
use crate::scenario::Loaded;

/// Runs `kpisim report`: the page and, with `--charts`, each chart's SVG,
/// all written or none.
pub fn report(opts: &ReportOptions) -> Result<()> {
    let l = super::load(&opts.scenario)?;
    let r = risk_report(&l, Sim::from_options(&opts.sim, runs(&l)))?;
    note_precision(&r.summary.header);
    let charts = charts::all(&r)?;
    let page = html::render(&r, &charts);
    let mut outputs = Outputs::new();
    outputs.stage_text(Some(&opts.output), &page)?;
    for (target, chart) in opts.charts.iter().zip(&charts) {
        outputs.stage_text(Some(target), &chart.svg)?;
    }
    Ok(outputs.commit()?)
}

/// The runs a report of `l` costs: the main one, the sensitivity's (2 an
/// uncertain input, plus its baseline) and, with stress cases, one a case
/// plus the baseline.
fn runs(l: &Loaded) -> u64 {
    let inputs = l.scenario.inputs().len() as u64;
    let cases = l.cases.len() as u64;
    1 + (1 + 2 * inputs) + if cases > 0 { cases + 1 } else { 0 }
}

/// What the report on `l` shows, simulated as `sim` says. With
/// `--precision`, the main run decides the trials and the others use as
/// many.
pub fn risk_report(l: &Loaded, sim: impl Into<Sim>) -> Result<RiskReport> {
    let sim: Sim = sim.into();
    let model = Model::compile(&l.scenario).with_arpu_series();
    let (output, precision) = sim.run(&model)?;
    let header = sim.header(l, output.trials, precision);
    let labels = l.scenario.labels();
    let summary = Summary::build(header.clone(), &model, &output, labels.clone());
    let kpis = KpiReport::build(header, &model, &output, labels, None);
    let histograms = Pair {
        revenue: Histogram::of(&output.revenue, BINS),
        profit: Histogram::of(&output.profit, BINS),
    };
    let same = sim.with_trials(output.trials);
    let sensitivity = sensitivity_report(l, &same)?;
    let stress = if l.cases.is_empty() {
        None
    } else {
        Some(stress_report(l, &[], &same)?)
    };
    Ok(RiskReport {
        summary,
        kpis,
        histograms,
        sensitivity,
        stress,
    })
}
