//! Everything the risk report shows: one main run (the summary, the KPI
//! sheet and the annual histograms), the sensitivity runs and, when the
//! scenario has stress cases, the stress runs, all on the same seed.

use super::{Result, Sim, explain_table, path_to_target, sensitivity_report, stress_report};
use crate::aggregate::{
    Ask, Assumptions, BINS, Histogram, KpiReport, Pair, RiskReport, Summary, TrialTable,
};
use crate::model::{Model, Target};
use crate::scenario::Loaded;

/// The runs a report of `l` costs: the main one, the sensitivity's (2 an
/// uncertain input, plus its baseline) and, with stress cases, one a case
/// plus the baseline.
pub fn risk_runs(l: &Loaded) -> u64 {
    let inputs = l.scenario.inputs().len() as u64;
    let cases = l.cases.len() as u64;
    1 + (1 + 2 * inputs) + if cases > 0 { cases + 1 } else { 0 }
}

/// What the report on `l` shows, simulated as `sim` says. With
/// `--precision`, the main run decides the trials and the others use as
/// many.
pub fn risk_report(l: &Loaded, sim: impl Into<Sim>) -> Result<RiskReport> {
    let mut sim: Sim = sim.into();
    let model = Model::compile(&l.scenario).with_arpu_series();
    // The main run keeps every trial's inputs for explain, then lets them go.
    sim.cfg.keep_trials = true;
    let (mut output, precision) = sim.run(&model)?;
    sim.cfg.keep_trials = false;
    let table = TrialTable::new(&model, output.columns.take().expect("kept every trial"));
    let header = sim.header(l, output.trials, precision);
    let labels = l.scenario.labels();
    let path = path_to_target(&model, &sim, &output, labels.as_ref())?;
    let mut summary = Summary::build(header.clone(), &model, &output, labels.clone());
    let kpis = KpiReport::build(header, &model, &output, labels, None, &path);
    summary.path_to_target = Some(path);
    summary.assumptions = Some(Assumptions::of(l));
    let explain = explain_table(
        summary.header.clone(),
        &l.scenario,
        &table,
        Target::Both,
        Ask::default(),
    );
    drop(table);
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
        explain,
        stress,
    })
}
