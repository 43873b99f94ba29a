//! Validated options: what the typed command line means, with the checks
//! that span several arguments done once, before any work.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::cli::{KpisArgs, OutputArgs, RunArgs, SimArgs, StressArgs, SweepArgs};
use crate::engine;
use crate::error::{Error, Result};
use crate::export::{Format, check_writable};

/// Most trials a run accepts: annual figures are kept at 8 bytes a trial.
pub const MAX_TRIALS: u64 = 500_000_000;

/// Simulation options shared by the commands that simulate.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// Trials per scenario.
    pub trials: u64,
    /// Seed.
    pub seed: u64,
    /// Worker threads.
    pub threads: usize,
    /// Show a progress bar.
    pub progress: bool,
}

impl SimOptions {
    /// Checks `--trials` and `--threads`.
    pub fn from_args(a: &SimArgs) -> Result<Self> {
        if a.trials == 0 || a.trials > MAX_TRIALS {
            return Err(Error::Usage(format!(
                "--trials {}: must be from 1 to {MAX_TRIALS}",
                a.trials
            )));
        }
        let threads = match a.threads {
            Some(0) => return Err(Error::Usage("--threads 0: must be at least 1".into())),
            Some(t) => t,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        // A bar only where someone watches, and only for runs long enough to
        // watch (about a second and up).
        let progress = !a.quiet && std::io::stderr().is_terminal() && a.trials >= 2_000_000;
        Ok(SimOptions {
            trials: a.trials,
            seed: a.seed,
            threads,
            progress,
        })
    }

    /// The engine configuration.
    pub fn engine(&self) -> engine::Config {
        engine::Config {
            progress: self.progress,
            ..engine::Config::new(self.trials, self.seed, self.threads)
        }
    }
}

/// Where the report goes.
#[derive(Debug, Clone)]
pub struct OutputOptions {
    /// Format.
    pub format: Format,
    /// File, or standard output.
    pub output: Option<PathBuf>,
}

impl OutputOptions {
    /// Checks that the output file can be written, before any simulation.
    pub fn from_args(a: &OutputArgs) -> Result<Self> {
        if let Some(p) = &a.output {
            check_writable(p)?;
        }
        Ok(OutputOptions {
            format: a.format,
            output: a.output.clone(),
        })
    }
}

/// `kpisim stress`, validated.
#[derive(Debug, Clone)]
pub struct StressOptions {
    /// Scenario file.
    pub scenario: PathBuf,
    /// Cases to run (empty: all).
    pub cases: Vec<String>,
    /// Simulation.
    pub sim: SimOptions,
    /// Report.
    pub out: OutputOptions,
}

impl StressOptions {
    /// Checks the arguments of `kpisim stress`.
    pub fn from_args(a: &StressArgs) -> Result<Self> {
        Ok(StressOptions {
            scenario: a.scenario.clone(),
            cases: a.cases.clone(),
            sim: SimOptions::from_args(&a.sim)?,
            out: OutputOptions::from_args(&a.out)?,
        })
    }
}

/// `kpisim sweep`, validated.
#[derive(Debug, Clone)]
pub struct SweepOptions {
    /// Scenario file.
    pub scenario: PathBuf,
    /// Path swept.
    pub path: String,
    /// The values, in order.
    pub values: Vec<f64>,
    /// Levels to report crossings at.
    pub levels: Vec<f64>,
    /// Simulation.
    pub sim: SimOptions,
    /// Report.
    pub out: OutputOptions,
}

impl SweepOptions {
    /// Checks the arguments of `kpisim sweep`.
    pub fn from_args(a: &SweepArgs) -> Result<Self> {
        if !(a.from.is_finite() && a.to.is_finite()) {
            return Err(Error::Usage(
                "--from and --to must be finite numbers".into(),
            ));
        }
        if a.steps < 2 {
            return Err(Error::Usage(format!(
                "--steps {}: must be at least 2",
                a.steps
            )));
        }
        let mut levels = vec![0.5];
        if let Some(l) = a.level {
            if !(l > 0.0 && l < 1.0) {
                return Err(Error::Usage(format!(
                    "--level {l}: must be a fraction between 0 and 1, e.g. 0.8"
                )));
            }
            if l != 0.5 {
                levels.push(l);
            }
        }
        let n = a.steps - 1;
        // 0.5 + 6 × 0.025 is 0.65, not 0.6499999999999999.
        let values = (0..=n)
            .map(|i| crate::fmt::tidy(a.from + (a.to - a.from) * i as f64 / n as f64))
            .collect();
        Ok(SweepOptions {
            scenario: a.scenario.clone(),
            path: a.path.clone(),
            values,
            levels,
            sim: SimOptions::from_args(&a.sim)?,
            out: OutputOptions::from_args(&a.out)?,
        })
    }
}

/// `kpisim kpis`, validated.
#[derive(Debug, Clone)]
pub struct KpisOptions {
    /// Scenario file.
    pub scenario: PathBuf,
    /// `--confidence`.
    pub confidence: Option<f64>,
    /// Simulation.
    pub sim: SimOptions,
    /// Report.
    pub out: OutputOptions,
}

impl KpisOptions {
    /// Checks the arguments of `kpisim kpis`.
    pub fn from_args(a: &KpisArgs) -> Result<Self> {
        if let Some(c) = a.confidence
            && !(c > 0.0 && c < 1.0)
        {
            return Err(Error::Usage(format!(
                "--confidence {c}: must be a fraction between 0 and 1, e.g. 0.8"
            )));
        }
        Ok(KpisOptions {
            scenario: a.scenario.clone(),
            confidence: a.confidence,
            sim: SimOptions::from_args(&a.sim)?,
            out: OutputOptions::from_args(&a.out)?,
        })
    }
}

/// `kpisim run`, validated.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Scenario files.
    pub scenarios: Vec<PathBuf>,
    /// Point plan instead of simulation.
    pub point: bool,
    /// Per-trial Parquet file.
    pub trials_out: Option<PathBuf>,
    /// Simulation.
    pub sim: SimOptions,
    /// Report.
    pub out: OutputOptions,
}

impl RunOptions {
    /// Cross-argument checks of `kpisim run`.
    pub fn from_args(a: &RunArgs) -> Result<Self> {
        if a.trials_out.is_some() && a.point {
            return Err(Error::Usage(
                "--trials-out needs a simulation; it cannot go with --point".into(),
            ));
        }
        if a.trials_out.is_some() && a.scenarios.len() > 1 {
            return Err(Error::Usage(format!(
                "--trials-out takes one scenario, {} were given",
                a.scenarios.len()
            )));
        }
        if let Some(p) = &a.trials_out {
            check_writable(p)?;
        }
        Ok(RunOptions {
            scenarios: a.scenarios.clone(),
            point: a.point,
            trials_out: a.trials_out.clone(),
            sim: SimOptions::from_args(&a.sim)?,
            out: OutputOptions::from_args(&a.out)?,
        })
    }
}
