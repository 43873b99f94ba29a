//! `kpisim run`: the Monte Carlo forecast, or `--point`, the plan.

use super::{engine_config, load_all};
use crate::aggregate::{Pair, RunMeta, Summary};
use crate::engine;
use crate::error::Result;
use crate::export::{Outputs, PointReport, exporter, write_trials};
use crate::model::Model;
use crate::options::RunOptions;
use crate::scenario::{Loaded, Scenario};

/// Runs `kpisim run`. The report and `--trials-out` are staged and
/// committed together: both appear, or neither.
pub fn run(opts: &RunOptions) -> Result<()> {
    let loaded = load_all(&opts.scenarios)?;
    let exp = exporter(opts.out.format);
    let mut outputs = Outputs::new();
    if opts.point {
        let plans: Vec<PointReport> = loaded
            .iter()
            .map(|l| PointReport {
                scenario: l.scenario.name.clone(),
                file: l.file.clone(),
                kpisim: crate::VERSION,
                scenario_sha256: l.sha256.clone(),
                months: l.scenario.months,
                labels: l.scenario.labels(),
                targets: l.scenario.targets.into(),
                plan: Model::compile(&l.scenario).point_plan(),
            })
            .collect();
        outputs.stage_text(opts.out.target.as_ref(), &exp.point(&plans)?)?;
        return outputs.commit();
    }
    let cfg = engine::Config {
        keep_trials: opts.trials_out.is_some(),
        ..engine_config(&opts.sim, loaded.len() as u64)
    };
    let mut summaries = Vec::with_capacity(loaded.len());
    for l in &loaded {
        let (summary, table) = simulate(l, &cfg)?;
        if let (Some((target, format)), Some(table)) = (&opts.trials_out, table) {
            let names: Vec<String> = l.scenario.inputs().into_iter().map(|(p, _)| p).collect();
            let targets = l.scenario.targets.into();
            outputs.stage(Some(target), |w| {
                write_trials(w, table, &names, targets, *format)
            })?;
        }
        summaries.push(summary);
    }
    outputs.stage_text(opts.out.target.as_ref(), &exp.run(&summaries)?)?;
    outputs.commit()
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
    simulate_scenario(&l.scenario, l, cfg).map(|s| (s.summary, s.table))
}

/// Simulates `scenario`, a variant of the loaded file `l` (itself, a
/// stress case, a sweep step).
pub fn simulate_scenario(
    scenario: &Scenario,
    l: &Loaded,
    cfg: &engine::Config,
) -> Result<Simulated> {
    let model = Model::compile(scenario);
    let point = model.point_plan().annual;
    let output = engine::run(&model, cfg)?;
    let mut acc = output.acc;
    let meta = RunMeta {
        scenario: scenario.name.clone(),
        file: l.file.clone(),
        scenario_sha256: l.sha256.clone(),
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
