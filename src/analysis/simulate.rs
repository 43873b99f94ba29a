//! Running a model as an analysis asks: all its trials, or with a
//! precision to reach, until the probability watched is precise enough;
//! and the summary of a run with the header that traces it.

use super::Result;
use crate::aggregate::{
    Assumptions, FEWEST, Header, PathToTarget, Precision, Summary, TargetPath, TrialTable, WINDOW,
    probabilities,
};
use crate::engine::{self, Output, Run};
use crate::model::{Model, Target};
use crate::scenario::{Loaded, Scenario};

/// Trials between two looks at the precision reached: eight chunks, so
/// that the points of a look do not depend on the thread count.
pub const CHECKPOINT: u64 = 65_536;

/// What a command asks of its simulations.
#[derive(Clone, Debug)]
pub struct Sim {
    /// The engine's configuration; `trials` is the most a run may use.
    pub cfg: engine::Config,
    /// Stop when the standard error of this target's probability is at
    /// most this.
    pub precision: Option<(f64, Target)>,
    /// Also find the path to each target and gather the assumptions
    /// (`kpisim run`'s summary has them; the runs of a comparison need
    /// not).
    pub paths: bool,
}

impl From<&engine::Config> for Sim {
    fn from(cfg: &engine::Config) -> Self {
        Sim {
            cfg: cfg.clone(),
            precision: None,
            paths: false,
        }
    }
}

impl From<&Sim> for Sim {
    fn from(s: &Sim) -> Self {
        s.clone()
    }
}

impl Sim {
    /// The same simulations with exactly `trials` trials and no stopping:
    /// the later runs of a comparison use the trials the first one needed,
    /// so that every run is paired on the same draws.
    pub fn with_trials(&self, trials: u64) -> Sim {
        Sim {
            cfg: engine::Config {
                trials,
                ..self.cfg.clone()
            },
            precision: None,
            paths: false,
        }
    }

    /// The same simulations, finding the path to each target too.
    pub fn with_paths(&self) -> Sim {
        Sim {
            paths: true,
            ..self.clone()
        }
    }

    /// Runs `model`: every trial, or with a precision to reach, in steps of
    /// [`CHECKPOINT`] trials until it is reached or the trials run out.
    pub fn run(&self, model: &Model) -> Result<(Output, Option<Precision>)> {
        let mut run = Run::new(model, &self.cfg)?;
        let Some((asked, target)) = self.precision else {
            run.extend(self.cfg.trials)?;
            return Ok((run.finish(), None));
        };
        loop {
            run.extend(run.trials() + CHECKPOINT)?;
            let se = probabilities(run.output()).1.get(target);
            let done = run.trials() >= self.cfg.trials;
            if se <= asked || done {
                let precision = Precision {
                    target: target.key(),
                    asked,
                    standard_error: se,
                    reached: se <= asked,
                };
                return Ok((run.finish(), Some(precision)));
            }
        }
    }

    /// The header of a report on `l` from a run of `trials` trials.
    pub fn header(&self, l: &Loaded, trials: u64, precision: Option<Precision>) -> Header {
        Header {
            precision,
            ..Header::new(l, trials, self.cfg.seed, self.cfg.sampling)
        }
    }
}

/// Simulates a compiled `model` of `scenario`, a variant of `l` (itself, a
/// stress case, a sweep step).
pub fn simulate_model(
    model: &Model,
    scenario: &Scenario,
    l: &Loaded,
    sim: &Sim,
) -> Result<Simulated> {
    let (output, precision) = sim.run(model)?;
    summarise(model, scenario, l, sim, output, precision)
}

/// What `output`, a run of `model` as `sim` says, gives a command.
pub fn summarise(
    model: &Model,
    scenario: &Scenario,
    l: &Loaded,
    sim: &Sim,
    mut output: Output,
    precision: Option<Precision>,
) -> Result<Simulated> {
    let header = sim.header(l, output.trials, precision);
    let labels = scenario.labels();
    let mut summary = Summary::build(header, model, &output, labels.clone());
    if sim.paths {
        summary.path_to_target = Some(path_to_target(model, sim, &output, labels.as_ref())?);
        summary.assumptions = Some(Assumptions::of(l));
    }
    Ok(Simulated {
        summary,
        table: output.columns.take().map(|c| TrialTable::new(model, c)),
        hits: output.hit_bits.take(),
        output,
    })
}

/// The path to each target of `output`, a run of `model` as `sim` says:
/// the years within [`WINDOW`] of each target (or the [`FEWEST`] nearest)
/// simulated again month by month (their draws depend on their numbers
/// alone) and averaged. `null` each when the run has fewer than
/// [`FEWEST`] years.
pub fn path_to_target(
    model: &Model,
    sim: &Sim,
    output: &Output,
    labels: Option<&Vec<String>>,
) -> Result<PathToTarget> {
    if output.trials < FEWEST as u64 {
        return Ok(PathToTarget {
            revenue: None,
            profit: None,
        });
    }
    let cfg = engine::Config {
        trials: output.trials,
        progress: None,
        ..sim.cfg.clone()
    };
    let targets = model.hit_rule().targets();
    let path = |values: &engine::PerTrial, target: (f64, usize)| -> Result<Option<TargetPath>> {
        let (trials, window) = values.near(target.0, WINDOW, FEWEST);
        let traced = engine::trace(model, &cfg, &trials)?;
        Ok(Some(TargetPath::new(
            &traced, target, window, model, labels,
        )))
    };
    Ok(PathToTarget {
        revenue: path(&output.revenue, (targets.revenue, 0))?,
        profit: path(&output.profit, (targets.profit, 1))?,
    })
}

/// One simulated scenario.
#[derive(Debug)]
pub struct Simulated {
    /// Its summary: what `kpisim run` reports.
    pub summary: Summary,
    /// Every trial's results, when `keep_trials`.
    pub table: Option<TrialTable>,
    /// Every trial's hit bits, when `keep_hits`.
    pub hits: Option<Vec<u8>>,
    /// What the engine accumulated.
    pub output: engine::Output,
}

/// Simulates one loaded scenario: its summary, and the per-trial table when
/// `keep_trials`.
pub fn simulate(l: &Loaded, sim: impl Into<Sim>) -> Result<Simulated> {
    simulate_scenario(&l.scenario, l, sim)
}

/// Simulates `scenario`, a variant of the loaded file `l` (itself, a
/// stress case, a sweep step).
pub fn simulate_scenario(
    scenario: &Scenario,
    l: &Loaded,
    sim: impl Into<Sim>,
) -> Result<Simulated> {
    simulate_model(&Model::compile(scenario), scenario, l, &sim.into())
}
