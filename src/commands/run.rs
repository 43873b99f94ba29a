//! `kpisim run`: the Monte Carlo forecast, or `--point`, the plan.

use super::{emit, load_all};
use crate::aggregate::{Pair, RunMeta, Summary};
use crate::engine;
use crate::error::Result;
use crate::export::{PointReport, exporter, write_trials};
use crate::model::Model;
use crate::options::RunOptions;
use crate::scenario::{Loaded, Scenario};

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
                labels: l.scenario.labels(),
                targets: l.scenario.targets.into(),
                plan: Model::compile(&l.scenario).point_plan(),
            })
            .collect();
        return emit(opts.out.output.as_deref(), &exp.point(&plans)?);
    }
    let mut summaries = Vec::with_capacity(loaded.len());
    for l in &loaded {
        let (summary, table) = simulate(
            l,
            &engine::Config {
                keep_trials: opts.trials_out.is_some(),
                ..opts.sim.engine()
            },
        )?;
        if let (Some(path), Some(table)) = (&opts.trials_out, table) {
            let names: Vec<String> = l.scenario.inputs().into_iter().map(|(p, _)| p).collect();
            write_trials(path, table, &names, l.scenario.targets.into())?;
        }
        summaries.push(summary);
    }
    emit(opts.out.output.as_deref(), &exp.run(&summaries)?)
}

/// One simulated scenario.
#[derive(Debug)]
pub struct Simulated {
    /// Its summary.
    pub summary: Summary,
    /// Every trial's results, when `keep_trials`.
    pub table: Option<engine::TrialTable>,
    /// Every trial's hit flags, when `keep_hits`.
    pub hits: Option<Vec<u8>>,
}

/// Simulates one loaded scenario: its summary, and the per-trial table when
/// `cfg.keep_trials`.
pub fn simulate(l: &Loaded, cfg: &engine::Config) -> Result<(Summary, Option<engine::TrialTable>)> {
    simulate_scenario(&l.scenario, &l.sha256, cfg).map(|s| (s.summary, s.table))
}

/// Simulates `scenario` (read from a file with hash `sha256`).
pub fn simulate_scenario(
    scenario: &Scenario,
    sha256: &str,
    cfg: &engine::Config,
) -> Result<Simulated> {
    let model = Model::compile(scenario);
    let point = model.point_plan().annual;
    let output = engine::run(&model, cfg)?;
    let mut acc = output.acc;
    let meta = RunMeta {
        scenario: scenario.name.clone(),
        scenario_sha256: sha256.to_string(),
        seed: cfg.seed,
        labels: scenario.labels(),
        targets: scenario.targets.into(),
        point: Pair {
            revenue: point.revenue,
            profit: point.profit,
        },
        profit_affine: model.profit_affine(),
        segments: model.segment_names().to_vec(),
    };
    Ok(Simulated {
        summary: Summary::build(meta, &mut acc),
        table: output.table,
        hits: output.hits,
    })
}
