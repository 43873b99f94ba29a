//! Solving for a lever: the value that brings a target's probability to a
//! confidence.
//!
//! Every value is run on the same draws (common random numbers), so the
//! estimated probability moves with the lever alone. Nine values across the
//! range locate where it crosses the confidence (or show that it never
//! does: more marketing also costs profit, so a probability can rise and
//! fall); ten bisection steps then narrow the crossing nearest the scenario
//! as written to 1/1024 of its bracket. About 20 runs.

use super::{Result, Sim, kpi_report_of, simulate_model};
use crate::aggregate::{Pair, SolveReport, Tried, probabilities};
use crate::model::{Model, Target};
use crate::scenario::paths::{self, PathKind};
use crate::scenario::{Loaded, Scenario};

/// Values tried across the range before bisection.
pub const GRID: usize = 9;
/// Bisection steps inside the bracket found.
pub const BISECTIONS: usize = 10;

/// What `solve` is asked.
#[derive(Debug, Clone)]
pub struct Question {
    /// The lever's dotted path (`--lever`).
    pub lever: String,
    /// The probability to reach (`--confidence`), a fraction 0..1.
    pub confidence: f64,
    /// Whose probability: revenue, profit or both (`--target`).
    pub target: Target,
    /// `--min`, `--max`: the range searched, where given; each end missing
    /// takes its default.
    pub range: (Option<f64>, Option<f64>),
    /// Add the department sheet of the answer.
    pub monthly: bool,
}

/// The default range of a lever: 0.5 to 2 times as written for a
/// multiplier; half to one and a half times its value otherwise; each end
/// then drawn in, if it must be, to the last value the scenario's rules
/// allow (a creator share with the operations rate at most 1, a beta's
/// mean below 1), so that the tool never refuses a range of its own.
fn default_range(l: &Loaded, lever: &str, kind: PathKind) -> (f64, f64) {
    let current = as_written(l, lever, kind);
    let (lo, hi) = if matches!(kind, PathKind::Schedule | PathKind::Input) {
        (0.5, 2.0)
    } else if current > 0.0 {
        (0.5 * current, 1.5 * current)
    } else if current < 0.0 {
        (1.5 * current, 0.5 * current)
    } else {
        (0.0, 1.0)
    };
    (
        within_rules(l, lever, current, lo),
        within_rules(l, lever, current, hi),
    )
}

/// The lever's value as the scenario has it: 1 for a multiplier.
fn as_written(l: &Loaded, lever: &str, kind: PathKind) -> f64 {
    if matches!(kind, PathKind::Schedule | PathKind::Input) {
        return 1.0;
    }
    paths::resolve(&l.table, lever)
        .ok()
        .and_then(|r| paths::get(&l.table, &r).and_then(paths::as_number))
        .unwrap_or(1.0)
}

/// `end` if the scenario takes it; else the value between `current` (which
/// it takes) and `end` nearest `end` that it takes, found by bisection and
/// shown with three significant digits.
fn within_rules(l: &Loaded, lever: &str, current: f64, end: f64) -> f64 {
    let valid = |v: f64| l.with_value(lever, v).is_ok();
    if valid(end) || !valid(current) {
        return end;
    }
    let (mut good, mut bad) = (current, end);
    for _ in 0..60 {
        let mid = 0.5 * (good + bad);
        if valid(mid) {
            good = mid;
        } else {
            bad = mid;
        }
    }
    // Rounded to three digits, else cut to three digits towards `current`.
    let magnitude = 10f64.powi(good.abs().log10().floor() as i32 - 2);
    let cut = if end > current {
        (good / magnitude).floor() * magnitude
    } else {
        (good / magnitude).ceil() * magnitude
    };
    [crate::present::sig(good, 3), crate::present::tidy(cut)]
        .into_iter()
        .find(|&v| valid(v) && (v - current).abs() <= (end - current).abs())
        .unwrap_or(good)
}

/// Solves `question` for `l`, simulated as `sim` says. Every value of the
/// grid is validated before any is run.
pub fn solve_report(l: &Loaded, question: &Question, sim: impl Into<Sim>) -> Result<SolveReport> {
    let mut sim: Sim = sim.into();
    let kind = l.path_kind(&question.lever)?;
    let defaults = default_range(l, &question.lever, kind);
    let (lo, hi) = (
        question.range.0.unwrap_or(defaults.0),
        question.range.1.unwrap_or(defaults.1),
    );
    let grid = crate::present::evenly(lo, hi, GRID);
    let scenarios: Vec<Scenario> = grid
        .iter()
        .map(|v| l.with_value(&question.lever, *v))
        .collect::<std::result::Result<_, _>>()?;
    let target = question.target;
    let mut header = None;
    let mut tried: Vec<Tried> = Vec::new();
    let mut errors: Vec<(f64, f64)> = Vec::new();
    let mut run = |v: f64, s: &Scenario, sim: &mut Sim| -> Result<(f64, f64)> {
        let out = simulate_model(&Model::compile(s), s, l, sim)?;
        if header.is_none() {
            // The first run decides the trials every other run uses.
            *sim = sim.with_trials(out.summary.header.trials);
            header = Some(out.summary.header.clone());
        }
        let (p, se) = probabilities(&out.output);
        let (p, se) = (p.get(target), se.get(target));
        tried.push(Tried {
            value: v,
            probability: p,
        });
        errors.push((v, se));
        Ok((p, se))
    };
    let mut ps = Vec::with_capacity(GRID);
    for (v, s) in grid.iter().zip(&scenarios) {
        ps.push(run(*v, s, &mut sim)?.0);
    }
    let want = question.confidence;
    let as_written = as_written(l, &question.lever, kind);
    // Brackets where the probability crosses the confidence: (below, at or
    // above), nearest the scenario as written first.
    let mut brackets: Vec<(f64, f64)> = grid
        .windows(2)
        .zip(ps.windows(2))
        .filter(|(_, p)| (p[0] < want) != (p[1] < want))
        .map(|(v, p)| {
            if p[0] < want {
                (v[0], v[1])
            } else {
                (v[1], v[0])
            }
        })
        .collect();
    brackets.sort_by(|a, b| {
        let d = |x: &(f64, f64)| ((x.0 + x.1) / 2.0 - as_written).abs();
        d(a).total_cmp(&d(b))
    });
    let answer = match brackets.first() {
        Some(&(mut below, mut above)) => {
            for _ in 0..BISECTIONS {
                let mid = crate::present::tidy((below + above) / 2.0);
                let s = l.with_value(&question.lever, mid)?;
                if run(mid, &s, &mut sim)?.0 >= want {
                    above = mid;
                } else {
                    below = mid;
                }
            }
            Some(above)
        }
        // Every value reaches it: the one that only just does.
        None if ps.iter().all(|p| *p >= want) => ps
            .iter()
            .zip(&grid)
            .min_by(|a, b| a.0.total_cmp(b.0))
            .map(|(_, v)| *v),
        None => None,
    };
    let best = *tried
        .iter()
        .max_by(|a, b| {
            a.probability
                .total_cmp(&b.probability)
                .then(b.value.total_cmp(&a.value))
        })
        .expect("values were tried");
    let at = answer.unwrap_or(best.value);
    let (probability, standard_error) = tried
        .iter()
        .zip(&errors)
        .rev()
        .find(|(t, _)| t.value == at)
        .map(|(t, (_, se))| (t.probability, *se))
        .expect("the answer was tried");
    let solved = l.with_value(&question.lever, at)?;
    let plan = Model::compile(&solved).point_plan().annual;
    let (monthly, path_to_target) = if question.monthly {
        let sheet = kpi_report_of(&solved, l, Some(want), &sim)?;
        (Some(sheet.monthly), Some(sheet.path))
    } else {
        (None, None)
    };
    let reached_throughout = ps.iter().all(|p| *p >= want);
    // On common random numbers a lever without effect gives every value
    // the very same hits.
    let lever_moves = tried.iter().any(|t| t.probability != tried[0].probability);
    Ok(SolveReport {
        header: header.expect("values were tried"),
        lever: question.lever.clone(),
        multiplier: matches!(kind, PathKind::Schedule | PathKind::Input),
        target: target.key(),
        confidence: want,
        range: [lo, hi],
        feasible: answer.is_some(),
        reached_throughout,
        lever_moves,
        value: answer,
        probability,
        standard_error,
        best,
        point: Pair {
            revenue: plan.revenue,
            profit: plan.profit,
        },
        tried,
        monthly_confidence: question.monthly.then_some(want),
        monthly,
        path_to_target,
    })
}
