//! Tracking the year: the re-forecast from its actual months. The plan
//! runs once for its probabilities and bands (the warnings); the rest of
//! the year runs once from the actual payers, with each input updated by
//! what the actual months show (`history::update`).

use std::path::Path;

use super::{Result, Sim, simulate, simulate_model};
use crate::aggregate::{ActualMonth, Bands, Needed, Pair, Probabilities, TrackReport, warnings};
use crate::history::ratios::ratios;
use crate::history::update::{Updated, update};
use crate::history::{self, History, HistoryError, HistoryErrorKind, HistoryErrors};
use crate::model::Model;
use crate::scenario::{Input, Loaded, Scenario, Targets};

/// Refuses actuals with more months than the scenario, or months other
/// than the scenario's first ones.
fn check_months(s: &Scenario, h: &History) -> std::result::Result<(), HistoryErrors> {
    let problem = |row: usize, value: Option<String>, kind| HistoryError {
        file: h.file.clone(),
        row: Some(row),
        column: Some("month".into()),
        value,
        kind,
    };
    if h.len() > s.months {
        return Err(HistoryErrors(vec![problem(
            s.months + 1,
            Some(h.label(s.months)),
            HistoryErrorKind::TooManyRows { months: s.months },
        )]));
    }
    if s.start.is_none() {
        return Ok(());
    }
    let wrong: Vec<HistoryError> = (0..h.len())
        .filter(|&i| h.label(i) != s.month_label(i + 1))
        .map(|i| {
            problem(
                i + 1,
                Some(h.label(i)),
                HistoryErrorKind::NotTheScenarioMonth {
                    month: i + 1,
                    expected: s.month_label(i + 1),
                },
            )
        })
        .collect();
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(HistoryErrors(wrong))
    }
}

/// The actual months, with profit from the scenario's costs and the actual
/// spend.
fn actual_months(s: &Scenario, h: &History) -> Vec<ActualMonth> {
    (0..h.len())
        .map(|i| ActualMonth {
            month: i + 1,
            label: h.label(i),
            spend: h.spend[i],
            registrations: h.registrations[i],
            new_payers: h.new_payers[i],
            payers: h.payers[i],
            revenue: h.revenue[i],
            profit: s.profit(i, h.revenue[i], h.spend[i]),
        })
        .collect()
}

/// Each input of `s` updated by the ratios of the actuals `h`.
fn updated_inputs(s: &Scenario, h: &History) -> Result<Vec<(Input, Updated)>> {
    let start: Vec<f64> = s.segments.iter().map(|g| g.start_payers).collect();
    let r = ratios(h, Some(&start))?;
    // What a month's shocks left of a segment's old payers: retention seen
    // in that month is the plan's retention times this.
    let left = |segment: usize, row: usize| -> f64 {
        s.shocks
            .iter()
            .filter(|sh| sh.segment == segment && sh.month == row + 1)
            .map(|sh| 1.0 - sh.loss)
            .product()
    };
    Ok(s.inputs()
        .into_iter()
        .zip(r.by_input())
        .enumerate()
        .map(|(i, ((path, input), series))| {
            let retention_of = (i >= 2 && (i - 2) % 2 == 0).then(|| (i - 2) / 2);
            let observed: Vec<(usize, f64)> = series
                .iter()
                .map(|x| match retention_of {
                    Some(seg) => (x.row, x.value / left(seg, x.row)),
                    None => (x.row, x.value),
                })
                .collect();
            update(&path, input, &observed)
        })
        .collect())
}

/// The re-forecast of `l`'s year from the actuals at `actuals`, simulated as
/// `sim` says.
pub fn track_report(l: &Loaded, actuals: &Path, sim: impl Into<Sim>) -> Result<TrackReport> {
    let s = &l.scenario;
    let h = history::read(actuals, &super::fit::segment_names(l))?;
    check_months(s, &h)?;
    let inputs = updated_inputs(s, &h)?;
    let sim: Sim = sim.into();
    let plan = simulate(l, &sim)?;
    let k = h.len();
    let left = s.months - k;
    let months = actual_months(s, &h);
    let actual = Pair {
        revenue: months.iter().map(|m| m.revenue).sum::<f64>(),
        profit: months.iter().map(|m| m.profit).sum::<f64>(),
    };
    let warned = warnings(&plan.summary, &months);
    let to_go = Targets {
        revenue: s.targets.revenue - actual.revenue,
        profit: s.targets.profit - actual.profit,
    };
    let (probability, standard_error, annual, monthly) = if left == 0 {
        let hit = |v: f64, t: f64| if v >= t { 1.0 } else { 0.0 };
        let p = Probabilities {
            revenue: hit(actual.revenue, s.targets.revenue),
            profit: hit(actual.profit, s.targets.profit),
            both: hit(actual.revenue, s.targets.revenue) * hit(actual.profit, s.targets.profit),
        };
        let annual = Pair {
            revenue: Bands::exact(actual.revenue),
            profit: Bands::exact(actual.profit),
        };
        (p, p.map(|_| 0.0), annual, Vec::new())
    } else {
        let payers: Vec<f64> = h.segments.iter().map(|g| g.payers[k - 1]).collect();
        let mut rest = s.rest_after(k, &payers, to_go);
        for (slot, (updated, _)) in rest.inputs_mut().into_iter().zip(&inputs) {
            slot.dist = updated.dist.clone();
        }
        let run = simulate_model(
            &Model::compile(&rest),
            &rest,
            l,
            &sim.with_trials(plan.summary.header.trials),
        )?;
        let r = &run.summary;
        let annual = Pair {
            revenue: r.annual.revenue.shifted(actual.revenue),
            profit: r.annual.profit.shifted(actual.profit),
        };
        (r.probability, r.standard_error, annual, r.monthly_after(k))
    };
    let per_month = |v: f64| (left > 0).then(|| v / left as f64);
    Ok(TrackReport {
        header: plan.summary.header.clone(),
        actuals: h.file.clone(),
        months: s.months,
        months_actual: k,
        targets: s.targets.into(),
        actual,
        probability,
        standard_error,
        plan_probability: plan.summary.probability,
        plan_standard_error: plan.summary.standard_error,
        annual,
        warnings: warned,
        needed: Needed {
            revenue_per_month: per_month(to_go.revenue),
            profit_per_month: per_month(to_go.profit),
        },
        actual_months: months,
        updated: inputs.into_iter().map(|(_, u)| u).collect(),
        monthly,
    })
}
