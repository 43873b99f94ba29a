//! Running a model as an analysis asks: all its trials, or with a
//! precision to reach, until the probability watched is precise enough;
//! and the summary of a run with the header that traces it.

use super::Result;
use crate::aggregate::{Header, Precision, Summary, TrialTable, probabilities};
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
}

impl From<&engine::Config> for Sim {
    fn from(cfg: &engine::Config) -> Self {
        Sim {
            cfg: cfg.clone(),
            precision: None,
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
    Ok(summarise(model, scenario, l, sim, output, precision))
}

/// What `output`, a run of `model` as `sim` says, gives a command.
pub fn summarise(
    model: &Model,
    scenario: &Scenario,
    l: &Loaded,
    sim: &Sim,
    mut output: Output,
    precision: Option<Precision>,
) -> Simulated {
    let header = sim.header(l, output.trials, precision);
    let summary = Summary::build(header, model, &output, scenario.labels());
    Simulated {
        summary,
        table: output.columns.take().map(|c| TrialTable::new(model, c)),
        hits: output.hit_bits.take(),
        output,
    }
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
