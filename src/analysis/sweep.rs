//! A sweep: one input moved across a range, every step on the same random
//! draws (common random numbers), so the curve is smooth and its crossings
//! are not sampling noise.

use super::{Result, Sim, simulate_scenario};
use crate::aggregate::{SweepPoint, SweepReport, crossings};
use crate::scenario::Loaded;

/// The levels a sweep finds the crossings of: one half always, and the
/// asked `level` beside it when it is another.
pub fn sweep_levels(level: Option<f64>) -> Vec<f64> {
    let mut levels = vec![0.5];
    levels.extend(level.filter(|l| *l != 0.5));
    levels
}

/// Runs `path` at each of `values` and finds the crossings of `levels`.
/// Every step's scenario is built and validated before any is simulated.
/// With `--precision`, the first step decides the trials and every step runs
/// as many.
pub fn sweep_report(
    l: &Loaded,
    path: &str,
    values: &[f64],
    levels: &[f64],
    sim: impl Into<Sim>,
) -> Result<SweepReport> {
    let mut sim: Sim = sim.into();
    let scenarios = values
        .iter()
        .map(|v| l.with_value(path, *v))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let mut points = Vec::with_capacity(values.len());
    let mut header = None;
    for (v, s) in values.iter().zip(&scenarios) {
        let run = simulate_scenario(s, l, &sim)?;
        if header.is_none() {
            sim = sim.with_trials(run.summary.header.trials);
            header = Some(run.summary.header.clone());
        }
        points.push(SweepPoint {
            value: *v,
            probability: run.summary.probability,
            standard_error: run.summary.standard_error,
        });
    }
    Ok(SweepReport {
        header: header.expect("at least two steps"),
        path: path.to_string(),
        crossings: crossings(&points, levels),
        points,
    })
}
