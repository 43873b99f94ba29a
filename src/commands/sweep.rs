//! `kpisim sweep`: one input moved across a range, every step on the same
//! random draws (common random numbers), so the curve is smooth and its
//! crossings are not sampling noise.

use super::{emit, simulate_scenario};
use crate::aggregate::{Header, SweepPoint, SweepReport, crossings};
use crate::engine;
use crate::error::Result;
use crate::export::exporter;
use crate::options::SweepOptions;
use crate::scenario::{self, Loaded};

/// Runs `kpisim sweep`.
pub fn sweep(opts: &SweepOptions) -> Result<()> {
    let loaded = scenario::load(&opts.scenario)?;
    let report = sweep_report(
        &loaded,
        &opts.path,
        &opts.values,
        &opts.levels,
        &super::engine_config(&opts.sim, opts.values.len() as u64),
    )?;
    emit(&opts.out, &exporter(opts.out.format).sweep(&report)?)
}

/// Runs `path` at each of `values` and finds the crossings of `levels`.
/// Every step's scenario is built and validated before any is simulated.
pub fn sweep_report(
    l: &Loaded,
    path: &str,
    values: &[f64],
    levels: &[f64],
    cfg: &engine::Config,
) -> Result<SweepReport> {
    let scenarios = values
        .iter()
        .map(|v| l.with_value(path, *v))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let mut points = Vec::with_capacity(values.len());
    for (v, s) in values.iter().zip(&scenarios) {
        let run = simulate_scenario(s, l, cfg)?;
        points.push(SweepPoint {
            value: *v,
            probability: run.summary.probability,
            standard_error: run.summary.standard_error,
        });
    }
    Ok(SweepReport {
        header: Header::new(l, cfg.trials, cfg.seed),
        path: path.to_string(),
        crossings: crossings(&points, levels),
        points,
    })
}
