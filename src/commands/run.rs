//! `kpisim run`: the Monte Carlo forecast, or `--point`, the plan.

use super::{emit, load_all};
use crate::aggregate::{Pair, RunMeta, Summary};
use crate::engine;
use crate::error::Result;
use crate::export::{PointReport, exporter, write_trials};
use crate::model::Model;
use crate::options::RunOptions;
use crate::scenario::Loaded;

fn labels(l: &Loaded) -> Option<Vec<String>> {
    l.scenario.start.map(|_| {
        (1..=l.scenario.months)
            .map(|m| l.scenario.month_label(m))
            .collect()
    })
}

fn targets(l: &Loaded) -> Pair<f64> {
    Pair {
        revenue: l.scenario.targets.revenue,
        profit: l.scenario.targets.profit,
    }
}

/// Runs `kpisim run`.
pub fn run(opts: &RunOptions) -> Result<()> {
    let loaded = load_all(&opts.scenarios)?;
    let exp = exporter(opts.out.format);
    if opts.point {
        let plans: Vec<PointReport> = loaded
            .iter()
            .map(|l| PointReport {
                scenario: l.scenario.name.clone(),
                kpisim: crate::VERSION,
                scenario_sha256: l.sha256.clone(),
                months: l.scenario.months,
                labels: labels(l),
                targets: targets(l),
                plan: Model::compile(&l.scenario).point_plan(),
            })
            .collect();
        return emit(opts.out.output.as_deref(), &exp.point(&plans)?);
    }
    let mut summaries = Vec::with_capacity(loaded.len());
    for l in &loaded {
        let (summary, table) = simulate(l, &opts.sim.engine(opts.trials_out.is_some()))?;
        if let (Some(path), Some(table)) = (&opts.trials_out, table) {
            let names: Vec<String> = l.scenario.inputs().into_iter().map(|(p, _)| p).collect();
            write_trials(path, table, &names, targets(l))?;
        }
        summaries.push(summary);
    }
    emit(opts.out.output.as_deref(), &exp.run(&summaries)?)
}

/// Simulates one loaded scenario: its summary, and the per-trial table when
/// `cfg.keep_trials`.
pub fn simulate(l: &Loaded, cfg: &engine::Config) -> Result<(Summary, Option<engine::TrialTable>)> {
    let model = Model::compile(&l.scenario);
    let point = model.point_plan().annual;
    let output = engine::run(&model, cfg)?;
    let mut acc = output.acc;
    let meta = RunMeta {
        scenario: l.scenario.name.clone(),
        scenario_sha256: l.sha256.clone(),
        seed: cfg.seed,
        labels: labels(l),
        targets: targets(l),
        point: Pair {
            revenue: point.revenue,
            profit: point.profit,
        },
        profit_affine: model.profit_affine(),
    };
    Ok((Summary::build(meta, &mut acc), output.table))
}
