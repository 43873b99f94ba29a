//! The command line as typed (clap derive). Every flag is documented where
//! it is defined; [`crate::options`] turns these into validated options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::export::Format;

/// Default number of trials: standard errors of about 0.05 percentage points.
pub const DEFAULT_TRIALS: u64 = 1_000_000;
/// Default seed, printed with every result so that a rerun reproduces it.
pub const DEFAULT_SEED: u64 = 7;

/// kpisim: how likely is the annual plan, month by month, under uncertainty.
#[derive(Debug, Parser)]
#[command(name = "kpisim", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Monte Carlo forecast of one or more scenarios.
    Run(RunArgs),
    /// Validate scenario files without simulating.
    Check(CheckArgs),
    /// Run the baseline and each `[[stress]]` case of a scenario on the same
    /// random draws, and report how each case moves the probabilities.
    Stress(StressArgs),
    /// Move one input across a range and report the probability of each
    /// target at every step, on the same random draws, and where P(both)
    /// crosses 50% and --level.
    Sweep(SweepArgs),
    /// The department KPI sheet: month by month, each department's metrics
    /// with the plan value and the simulation's P10, P50 and P90.
    Kpis(KpisArgs),
}

/// `kpisim kpis`.
#[derive(Debug, Args)]
pub struct KpisArgs {
    /// Scenario file (TOML).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Also give each metric the value it reaches or exceeds with this
    /// probability (a fraction, e.g. 0.8): a target a department can commit to.
    #[arg(long)]
    pub confidence: Option<f64>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub sim: SimArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: OutputArgs,
}

/// `kpisim sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file (TOML).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// The path to move (CONTRACT.md §4), e.g. segments.big_r.retention.mean.
    /// A number or one parameter takes the values themselves; a schedule
    /// (marketing.budget) or an uncertain input as a whole takes multipliers
    /// (1 = as written).
    #[arg(long = "set", value_name = "PATH")]
    pub path: String,
    /// First value of the range.
    #[arg(long, allow_negative_numbers = true)]
    pub from: f64,
    /// Last value of the range.
    #[arg(long, allow_negative_numbers = true)]
    pub to: f64,
    /// Number of evenly spaced values from --from to --to, both included.
    /// Default: 11.
    #[arg(long, default_value_t = 11)]
    pub steps: usize,
    /// Also report where each probability crosses this level (a fraction,
    /// e.g. 0.8), besides 0.5.
    #[arg(long)]
    pub level: Option<f64>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub sim: SimArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: OutputArgs,
}

/// `kpisim stress`.
#[derive(Debug, Args)]
pub struct StressArgs {
    /// Scenario file (TOML) with `[[stress]]` cases.
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Run only this case (repeatable); default: every case, in file order.
    #[arg(long = "case", value_name = "NAME")]
    pub cases: Vec<String>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub sim: SimArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: OutputArgs,
}

/// How many trials, which random stream, how many threads.
#[derive(Debug, Args, Clone)]
pub struct SimArgs {
    /// Number of trials (forecasts) per scenario. Default: 1,000,000.
    #[arg(long, short = 'n', default_value_t = DEFAULT_TRIALS)]
    pub trials: u64,
    /// Seed of the random streams; the same scenario, trials and seed give
    /// byte-identical JSON for any thread count. Default: 7.
    #[arg(long, short = 's', default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Worker threads. Default: one per available core.
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Never show the progress bar (it shows only when stderr is a terminal).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Where and how to write the report.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Output format: table (for people), json (CONTRACT.md §3) or csv
    /// (monthly bands, long format). Default: table.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to this file (atomically: all or nothing) instead of
    /// standard output.
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// `kpisim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files (TOML); several run one after another as a batch.
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Print the deterministic point plan (every input at its mean) instead
    /// of simulating.
    #[arg(long)]
    pub point: bool,
    /// Also write every trial's annual revenue and profit, hit flags and
    /// sampled input levels to this Parquet file (one scenario only).
    #[arg(long, value_name = "FILE.parquet")]
    pub trials_out: Option<PathBuf>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub sim: SimArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: OutputArgs,
}

/// `kpisim check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario files (TOML) to validate.
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
