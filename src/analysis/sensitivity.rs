//! Sensitivity: each uncertain input held at its P10 and its P90,
//! everything else random on the same draws; 2 runs an input that varies,
//! plus the baseline, whose per-trial levels give the rank correlations.

use super::{Result, Sim, simulate_model};
use crate::aggregate::{
    Baseline, InputSensitivity, SensitivityReport, Swing, probabilities, spearman,
};
use crate::distr::Dist;
use crate::model::Model;
use crate::scenario::Loaded;

/// Mean annual profit and revenue, and P(both), of a run.
fn figures(out: &crate::engine::Output) -> (f64, f64, f64) {
    (
        out.profit.moments.mean,
        out.revenue.moments.mean,
        probabilities(out).0.both,
    )
}

/// The sensitivity of `l`'s scenario, simulated as `sim` says. With
/// `--precision`, the baseline decides the trials and every held run uses as
/// many.
pub fn sensitivity_report(l: &Loaded, sim: impl Into<Sim>) -> Result<SensitivityReport> {
    let mut sim: Sim = sim.into();
    sim.cfg.keep_trials = true;
    let model = Model::compile(&l.scenario);
    let base = simulate_model(&model, &l.scenario, l, &sim)?;
    let header = base.summary.header.clone();
    let (profit, revenue, both) = figures(&base.output);
    let table = base.table.expect("kept every trial");
    let mut held = sim.with_trials(header.trials);
    held.cfg.keep_trials = false;
    let mut inputs = Vec::with_capacity(model.inputs().len());
    // Looked up by path, not counted by position.
    let kind_of = |path: &str| {
        l.scenario
            .input(path)
            .map(|i| i.kind)
            .expect("every input's levels are kept under its path")
    };
    for (i, (path, levels)) in table.levels.iter().enumerate() {
        let dist = model.inputs()[i].dist();
        let (p10, p90) = (dist.quantile(0.1), dist.quantile(0.9));
        let at = |value: f64| -> Result<(f64, f64, f64)> {
            if let Dist::Fixed(_) = dist {
                // Held at its only value: the baseline itself.
                return Ok((profit, revenue, both));
            }
            let m = model.clone().with_held(i, value);
            let (out, _) = held.run(&m)?;
            Ok(figures(&out))
        };
        let (lo, hi) = (at(p10)?, at(p90)?);
        inputs.push(InputSensitivity {
            path: path.clone(),
            kind: kind_of(path),
            p10,
            p90,
            profit: Swing {
                at_p10: lo.0,
                at_p90: hi.0,
            },
            revenue: Swing {
                at_p10: lo.1,
                at_p90: hi.1,
            },
            both: Swing {
                at_p10: lo.2,
                at_p90: hi.2,
            },
            spearman_profit: spearman(levels, &table.profit),
            variance_share: 0.0,
        });
    }
    Ok(SensitivityReport::new(
        header,
        Baseline {
            profit,
            revenue,
            both,
        },
        inputs,
    ))
}
