//! Tracking the year: the re-forecast from its actual months. The plan
//! runs once for its probabilities and bands (the warnings); the rest of
//! the year runs once from the actual payers, with each input updated by
//! what the actual months show (`history::update`).

use std::path::Path;

use super::{Result, Sim, simulate, simulate_model};
use crate::aggregate::{ActualMonth, Bands, Needed, Pair, Probabilities, TrackReport, warnings};
use crate::history::ratios::{Ratio, ratios};
use crate::history::update::{Updated, kept, update};
use crate::history::{self, History, HistoryError, HistoryErrorKind, HistoryErrors, Segments};
use crate::model::Model;
use crate::scenario::{Input, InputKind, Loaded, Scenario, Targets};

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
            profit: s.profit(i, h.revenue[i], h.payers[i], h.spend[i]),
        })
        .collect()
}

/// What track says of a segment's inputs when the actuals give totals
/// only.
const TOTALS_ONLY: &str = "the actuals give totals only, which do not show a segment's retention or ARPU, so the plan stands";

/// What track says of the spend elasticity: a few months at one plan's
/// budgets do not show how the cost of a registration bends with spend.
const ELASTICITY_KEPT: &str = "the actual months do not show how the cost of a registration bends with spend, so the plan stands";

/// Each input of `s` updated by the ratios of the actuals `h`, in the
/// order of [`Scenario::inputs`]. With totals only, each segment's
/// retention and ARPU stay at the plan.
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
    let seen = |series: &[Ratio], by: &dyn Fn(usize) -> f64| -> Vec<(usize, f64)> {
        series
            .iter()
            .map(|x| (x.row, x.value / by(x.row)))
            .collect()
    };
    // A month's cost per registration is the plan's level times
    // (spend / reference)^E: divided out at the plan's mean elasticity.
    let e = s.spend_elasticity.as_ref().map_or(0.0, |i| i.dist.mean());
    let returns = |row: usize| {
        let spend = h.spend[row];
        if spend > 0.0 && e != 0.0 {
            (spend / s.reference_budget).powf(e)
        } else {
            1.0
        }
    };
    let mut out = Vec::new();
    for (path, input) in s.inputs() {
        let segment = s
            .segments
            .iter()
            .position(|g| path.starts_with(&format!("segments.{}.", g.name)));
        let key = path.rsplit('.').next().unwrap_or_default();
        out.push(match (segment, key) {
            (None, "cost_per_registration") => {
                update(&path, input, &seen(&r.cost_per_registration, &returns))
            }
            (None, "first_charge_rate") => {
                update(&path, input, &seen(&r.first_charge_rate, &|_| 1.0))
            }
            (None, _) => kept(&path, input, ELASTICITY_KEPT),
            (Some(k), _) => match (r.segments.get(k), input.kind) {
                (None, _) => kept(&path, input, TOTALS_ONLY),
                (Some(rs), InputKind::Rate) => {
                    update(&path, input, &seen(&rs.retention, &|row| left(k, row)))
                }
                (Some(rs), _) => update(&path, input, &seen(&rs.arpu, &|_| 1.0)),
            },
        });
    }
    Ok(out)
}

/// Each segment's payers at month `k` (1-based): the actual ones, or with
/// totals only the actual total split as the plan splits it that month.
fn payers_at(s: &Scenario, h: &History, k: usize) -> Vec<f64> {
    if !h.totals_only {
        return h.segments.iter().map(|g| g.payers[k - 1]).collect();
    }
    let plan = Model::compile(s).point_plan();
    let total: f64 = plan.segments.iter().map(|g| g.payers[k - 1]).sum();
    plan.segments
        .iter()
        .map(|g| {
            h.payers[k - 1]
                * if total > 0.0 {
                    g.payers[k - 1] / total
                } else {
                    0.0
                }
        })
        .collect()
}

/// The re-forecast of `l`'s year from the actuals at `actuals`, simulated as
/// `sim` says.
pub fn track_report(l: &Loaded, actuals: &Path, sim: impl Into<Sim>) -> Result<TrackReport> {
    let s = &l.scenario;
    let h = history::read(actuals, &super::fit::segment_names(l), Segments::Optional)?;
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
        let payers = payers_at(s, &h, k);
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
    let mut notes = Vec::new();
    if h.totals_only && left > 0 {
        let split: Vec<String> = s
            .segments
            .iter()
            .zip(payers_at(s, &h, k))
            .map(|(g, p)| format!("{} {}", g.name, crate::present::human(p)))
            .collect();
        notes.push(format!(
            "The actuals give totals only: the payers of month {k} are split among the segments as \
             the plan splits them that month ({}), and each segment's retention and ARPU stay at the plan.",
            split.join(", ")
        ));
    }
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
        notes,
        monthly,
    })
}
