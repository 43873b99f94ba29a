//! The command line as typed (clap derive). Every flag is documented where
//! it is defined; `options.rs` turns these into validated options.

pub mod values;

use std::marker::PhantomData;
use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Arg, ArgMatches, Args, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::aggregate::{
    ExplainReport, FitReport, KpiReport, SensitivityReport, SolveReport, StressReport, SweepReport,
    TrackReport,
};
use crate::export::reports::Runs;
use crate::export::{Format, Report, csv_help};

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
    #[command(after_help = csv_help::<Runs>())]
    Run(RunArgs),
    /// Validate scenario files without simulating, and say what each stress
    /// case changes.
    Check(CheckArgs),
    /// Run the baseline and each `[[stress]]` case of a scenario on the same
    /// random draws, and report how each case moves the probabilities.
    #[command(after_help = csv_help::<StressReport>())]
    Stress(StressArgs),
    /// Move one input across a range and report the probability of each
    /// target at every step, on the same random draws, and where P(both)
    /// crosses 50% and --level.
    #[command(after_help = csv_help::<SweepReport>())]
    Sweep(SweepArgs),
    /// The department KPI sheet: month by month, each department's metrics
    /// with the plan value and the simulation's P10, P50 and P90.
    #[command(after_help = csv_help::<KpiReport>())]
    Kpis(KpisArgs),
    /// Which assumption matters most: each uncertain input held at its own
    /// P10 and P90 (everything else random, on the same draws), its rank
    /// correlation with annual profit and its share of the variance, by the
    /// size of its profit swing. Costs 2 runs an uncertain input, plus one.
    #[command(
        after_help = csv_help::<SensitivityReport>()
    )]
    Sensitivity(SensitivityArgs),
    /// When does the plan fail: in the simulated years that miss the
    /// target, each input's median against its median overall, and a box of
    /// input ranges (PRIM) that holds most of the misses and where most
    /// years miss. Describes the simulated years under the scenario's
    /// assumptions; not a causal claim. Costs one run.
    #[command(after_help = csv_help::<ExplainReport>())]
    Explain(ExplainArgs),
    /// What it takes: the value of one lever that brings a target's
    /// probability to --confidence, on the same draws at every value tried
    /// (9 values across the range, then bisection: about 20 runs). Says so
    /// plainly when no value in the range does.
    #[command(after_help = csv_help::<SolveReport>())]
    Solve(SolveArgs),
    /// Fit a plan's uncertain inputs and starting payers to last year's
    /// months: writes a scenario `run` accepts, and reports what was
    /// estimated from which months; --holdout K also checks the fit against
    /// the last K months.
    #[command(after_help = fit_help(), mut_arg("format", formats::<FitReport>))]
    Fit(FitArgs),
    /// Re-forecast the year from its actual months: the actuals count
    /// exactly, the rest of the year starts from the actual payers with the
    /// inputs updated by what the actuals show; warnings where an actual
    /// month left the plan's P5-P95.
    #[command(after_help = track_help())]
    Track(TrackArgs),
    /// Write the risk report for management: one self-contained HTML page
    /// (charts as inline SVG, no script, nothing fetched; prints well) with
    /// the headline probabilities, monthly fan charts, when the targets are
    /// reached, the annual spread, what drives the risk, the stress cases
    /// and the department KPI sheet. Costs the run, the sensitivity runs (2
    /// an uncertain input, plus one) and one run a stress case.
    Report(ReportArgs),
    /// Merge the shard states of one run (`kpisim run --shard K/M
    /// --state-out PART`, one part per shard) and print exactly what the
    /// one-machine `kpisim run` of that scenario, --trials and --seed
    /// prints, in any format. Refuses parts of different runs (scenario,
    /// seed, trials, sampling, kpisim version, shard count), a missing
    /// shard, the same shard twice, and a truncated or corrupt part.
    #[command(after_help = csv_help::<Runs>())]
    Merge(MergeArgs),
    /// Serve a page and a JSON API for one scenario: a slider a multiplier
    /// of each uncertain input and schedule, a toggle a stress case, and
    /// the probabilities of the targets run again after each change.
    Serve(ServeArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    /// to standard output, e.g. `kpisim completions bash > /etc/bash_completion.d/kpisim`.
    Completions(CompletionsArgs),
    /// Print a manual page (roff): kpisim's own, or a subcommand's with
    /// every option its --help lists, its exit codes and an example; with
    /// --dir, write every page (kpisim.1, kpisim-run.1, ...) there, e.g.
    /// `kpisim man --dir ~/.local/share/man/man1 && man kpisim-run`.
    Man(ManArgs),
}

/// `kpisim man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The subcommand whose page to print (run, stress, ...); without it,
    /// kpisim's own page.
    #[arg(value_name = "SUBCOMMAND", conflicts_with = "dir")]
    pub subcommand: Option<String>,
    /// Write every page into this directory (made if missing, in one that
    /// exists), whole or not at all, instead of printing one.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// What a history file holds, for `fit --help` and `track --help`.
const HISTORY_FORMAT: &str = "A history or actuals file is CSV, one row a month, oldest first, no gaps, \
columns month (YYYY-MM),marketing_spend,registrations,new_payers,payers,revenue; a plan with several \
segments also needs payers_NAME,new_payers_NAME,revenue_NAME for each segment NAME. Lines starting \
with # are comments. At least 3 rows.";

fn fit_help() -> String {
    format!("{HISTORY_FORMAT}\n\n{}", csv_help::<FitReport>())
}

fn track_help() -> String {
    format!(
        "The actuals file has the history format: the scenario's first months, labelled as the \
         scenario's months when it has a start. {HISTORY_FORMAT}\n\n{}",
        csv_help::<TrackReport>()
    )
}

/// `--format` of a command whose report is `R`: the formats `R` declares,
/// and no others.
fn formats<R: Report>(a: Arg) -> Arg {
    let names: Vec<&'static str> = R::FORMATS
        .iter()
        .filter_map(|f| FormatArg::from_format(*f))
        .map(|f| f.name())
        .collect();
    a.value_parser(
        PossibleValuesParser::new(names)
            .map(|s| FormatArg::from_str(&s, false).expect("a format offered is a format")),
    )
}

/// What `--format` says of `formats`: each one, and how `--output`'s
/// extension chooses among them.
fn format_help(formats: &[Format]) -> String {
    let offered: Vec<FormatArg> = formats
        .iter()
        .filter_map(|f| FormatArg::from_format(*f))
        .collect();
    let what: Vec<String> = offered
        .iter()
        .map(|f| match f {
            FormatArg::Table => "table (for people)".to_string(),
            FormatArg::Json => "json (for machines)".to_string(),
            FormatArg::Csv => "csv (for machines; its columns below)".to_string(),
            FormatArg::Xlsx => "xlsx (an Excel workbook for a board pack: a sheet a table, number \
                                cells, a native chart; to --output only)"
                .to_string(),
        })
        .collect();
    let extensions: Vec<String> = offered
        .iter()
        .filter(|f| **f != FormatArg::Table)
        .map(|f| format!(".{}", f.name()))
        .collect();
    let what = match what.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    };
    format!(
        "Output format: {what}. Default: taken from --output's extension ({}; a table \
         otherwise), else table",
        extensions.join(", ")
    )
}

/// A format named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// A table for people.
    Table,
    /// JSON.
    Json,
    /// CSV.
    Csv,
    /// An Excel workbook.
    Xlsx,
}

impl FormatArg {
    fn name(self) -> &'static str {
        Format::from(self).name()
    }

    fn from_format(f: Format) -> Option<FormatArg> {
        match f {
            Format::Table => Some(FormatArg::Table),
            Format::Json => Some(FormatArg::Json),
            Format::Csv => Some(FormatArg::Csv),
            Format::Xlsx => Some(FormatArg::Xlsx),
            // A page is asked for by its file name (`report -o x.html`).
            Format::Html => None,
        }
    }
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Table => Format::Table,
            FormatArg::Json => Format::Json,
            FormatArg::Csv => Format::Csv,
            FormatArg::Xlsx => Format::Xlsx,
        }
    }
}

/// `kpisim fit`.
#[derive(Debug, Args)]
pub struct FitArgs {
    /// Last year's months, CSV (see below).
    #[arg(value_name = "HISTORY")]
    pub history: PathBuf,
    /// The plan whose inputs are fitted: its months, targets, costs, budget,
    /// segments and everything else are kept.
    #[arg(long, value_name = "SCENARIO")]
    pub plan: PathBuf,
    /// Where to write the fitted scenario (TOML). Written whole or not at
    /// all, after the fit is checked to be a valid scenario.
    #[arg(long, short = 'o', value_name = "FITTED")]
    pub output: PathBuf,
    /// Also backtest: fit on all but the last K months, simulate those K
    /// months from the actual payers before them on their actual spend, and
    /// report the share of held-out values inside the fitted P5-P95 and
    /// P25-P75 bands. `--holdout 0` holds out no month: no backtest.
    #[arg(long, value_name = "K", value_parser = values::count)]
    pub holdout: Option<u64>,
    /// Where each fitted input's spread comes from: plan (the plan's own
    /// sd widened by the standard error of last year's level: this year
    /// may differ as much as the plan said) or history (that standard
    /// error alone: how well last year is known, which is too sure of this
    /// year).
    #[arg(long, value_enum, default_value_t = SpreadArg::Plan)]
    pub spread: SpreadArg,
    /// Keep the plan's monthly profiles (its growth and seasonality) on the
    /// fitted levels; by default they are dropped, and a fitted level is
    /// last year's average month in every month.
    #[arg(long)]
    pub keep_profiles: bool,
    /// Format of the report on standard output.
    #[arg(long, short = 'f', default_value = "table")]
    pub format: FormatArg,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub sim: SimArgs,
}

/// `kpisim track`.
#[derive(Debug, Args)]
pub struct TrackArgs {
    /// The year's plan (TOML).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// The year's actual months so far, CSV in the history format.
    #[arg(long, value_name = "ACTUALS")]
    pub actuals: PathBuf,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub sim: SimArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: Output<TrackReport>,
}

/// `kpisim report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Scenario file (TOML).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Where to write the report: an HTML page, or with a name ending in
    /// .xlsx the board pack (one workbook whose sheets follow the page's
    /// sections). Checked before any work; written whole or not at all.
    #[arg(long, short = 'o', value_name = "REPORT.html|PACK.xlsx")]
    pub output: PathBuf,
    /// The date the report says it is as of, YYYY-MM-DD. Default: the
    /// environment's SOURCE_DATE_EPOCH, else today (UTC); the same date
    /// gives the same bytes.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Also write each chart as an SVG file in this directory (created if
    /// missing): fan-revenue.svg, fan-profit.svg, reached.svg,
    /// annual-revenue.svg, annual-profit.svg, tornado.svg.
    #[arg(long, value_name = "DIR")]
    pub charts: Option<PathBuf>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub sim: SimArgs,
}

/// `kpisim serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Scenario file (TOML).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// TCP port to listen on; 0 takes a free one (the printed address says
    /// which).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on. Any but 127.0.0.1 and ::1 (this machine
    /// only) needs a token: --token, else a random one printed at start.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: String,
    /// Trials of a full run, from 1 to 500,000,000, unless a request asks
    /// for others.
    #[arg(long, short = 'n', default_value_t = DEFAULT_TRIALS, value_parser = values::count)]
    pub trials: u64,
    /// Seed of the random streams, unless a request asks for another.
    #[arg(long, short = 's', default_value_t = DEFAULT_SEED, value_parser = values::seed, allow_hyphen_values = true)]
    pub seed: u64,
    /// The token every request must carry (`Authorization: Bearer T`, or
    /// `?token=T` on the page's address): at least 16 characters, letters,
    /// digits, `-` and `_`.
    #[arg(long, value_name = "T")]
    pub token: Option<String>,
}

/// `kpisim completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `kpisim sensitivity`.
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// Scenario file (TOML).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub sim: SimArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: Output<SensitivityReport>,
}

/// `kpisim explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Scenario file (TOML).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Whose misses to explain: revenue, profit or both (a year misses
    /// both unless it reaches both).
    #[arg(long, value_enum, default_value_t = TargetArg::Both)]
    pub target: TargetArg,
    /// The box reported is the first whose share of missing years reaches
    /// this, in (0, 1]; else the densest one found.
    #[arg(long, value_parser = values::number, allow_hyphen_values = true,
          default_value_t = crate::aggregate::DENSITY)]
    pub density: f64,
    /// Peeling stops before the box would hold fewer than this share of
    /// all years, in (0, 1).
    #[arg(long, value_parser = values::number, allow_hyphen_values = true,
          default_value_t = crate::aggregate::MIN_MASS)]
    pub min_mass: f64,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub sim: SimArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: Output<ExplainReport>,
}

/// `kpisim solve`.
#[derive(Debug, Args)]
pub struct SolveArgs {
    /// Scenario file (TOML).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// The lever to move (docs/scenario.md, "Paths"): a number or one
    /// parameter takes values (segments.big_r.retention.mean); a schedule
    /// or an uncertain input as a whole takes multipliers (marketing.budget:
    /// 1 = as written).
    #[arg(long, value_name = "PATH")]
    pub lever: String,
    /// The probability to reach, a fraction (e.g. 0.8).
    #[arg(long, value_parser = values::number, allow_hyphen_values = true)]
    pub confidence: f64,
    /// Whose probability: revenue, profit or both.
    #[arg(long, value_enum, default_value_t = TargetArg::Both)]
    pub target: TargetArg,
    /// Lower end of the range searched. Default: 0.5 for a multiplier, half
    /// the current value otherwise, drawn in to the scenario's rules.
    #[arg(long, value_parser = values::number, allow_hyphen_values = true)]
    pub min: Option<f64>,
    /// Upper end of the range searched. Default: 2 for a multiplier, 1.5
    /// times the current value otherwise, drawn in to the scenario's rules
    /// (a beta's mean below 1, creator_share + operations_rate at most 1).
    #[arg(long, value_parser = values::number, allow_hyphen_values = true)]
    pub max: Option<f64>,
    /// Also print the department KPI sheet of the solved plan, each metric
    /// with the value it reaches with --confidence: the monthly numbers each
    /// department must reach.
    #[arg(long)]
    pub monthly: bool,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub sim: SimArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: Output<SolveReport>,
}

/// `kpisim kpis`.
#[derive(Debug, Args)]
pub struct KpisArgs {
    /// Scenario file (TOML).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Also give each metric the value it reaches or exceeds with this
    /// probability (a fraction, e.g. 0.8): a target a department can commit to.
    #[arg(long, value_parser = values::number, allow_hyphen_values = true)]
    pub confidence: Option<f64>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub sim: SimArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: Output<KpiReport>,
}

/// `kpisim sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file (TOML).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// The path to move (docs/scenario.md, "Paths"), e.g.
    /// segments.big_r.retention.mean. A number or one parameter takes the
    /// values themselves; a schedule (marketing.budget) or an uncertain input
    /// as a whole takes multipliers (1 = as written).
    #[arg(long = "set", value_name = "PATH")]
    pub path: String,
    /// First value of the range.
    #[arg(long, value_parser = values::number, allow_hyphen_values = true)]
    pub from: f64,
    /// Last value of the range.
    #[arg(long, value_parser = values::number, allow_hyphen_values = true)]
    pub to: f64,
    /// Number of evenly spaced values from --from to --to, both included
    /// (2 to 1,001).
    #[arg(long, default_value = "11", value_parser = values::count)]
    pub steps: u64,
    /// Also report where each probability crosses this level (a fraction,
    /// e.g. 0.8), besides 0.5.
    #[arg(long, value_parser = values::number, allow_hyphen_values = true)]
    pub level: Option<f64>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub sim: SimArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: Output<SweepReport>,
}

/// `kpisim stress`.
#[derive(Debug, Args)]
pub struct StressArgs {
    /// Scenario file (TOML) with `[[stress]]` cases.
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Run only this case (repeatable; a case named twice runs once);
    /// default: every case, in file order.
    #[arg(long = "case", value_name = "NAME")]
    pub cases: Vec<String>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub sim: SimArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: Output<StressReport>,
}

/// How many trials, which random stream, how many threads.
#[derive(Debug, Args, Clone)]
pub struct SimArgs {
    /// Number of trials (forecasts) per scenario, from 1 to 500,000,000;
    /// 1000000, 1_000_000 and 1e6 all work.
    #[arg(long, short = 'n', default_value_t = DEFAULT_TRIALS, value_parser = values::count)]
    pub trials: u64,
    /// Seed of the random streams, a whole number from 0 to 2^64 - 1; the
    /// same scenario, trials and seed give byte-identical output for any
    /// thread count.
    #[arg(long, short = 's', default_value_t = DEFAULT_SEED, value_parser = values::seed, allow_hyphen_values = true)]
    pub seed: u64,
    /// Worker threads, from 1 to 256. Default: one per available core.
    #[arg(long, short = 'j', value_parser = values::count)]
    pub threads: Option<u64>,
    /// Never show the progress bar (it shows only when stderr is a terminal).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// How each input's level is drawn: mc (independently, plain Monte
    /// Carlo) or lhs (Latin hypercube, in 10 independent replicates of
    /// trials / 10, standard errors from their spread).
    #[arg(long, value_enum, default_value_t = SamplingArg::Mc)]
    pub sampling: SamplingArg,
    /// Stop as soon as the standard error of the probability of
    /// --precision-target is at most this (a fraction, e.g. 0.001), with
    /// --trials the most it may use; checked every 65,536 trials.
    #[arg(long, value_name = "SE", value_parser = values::number, allow_hyphen_values = true)]
    pub precision: Option<f64>,
    /// The target --precision watches: revenue, profit or both.
    #[arg(long, value_enum, default_value_t = TargetArg::Both)]
    pub precision_target: TargetArg,
}

/// `fit --spread`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SpreadArg {
    /// The plan's sd widened by the level's standard error.
    Plan,
    /// The level's standard error alone.
    History,
}

/// `--sampling`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SamplingArg {
    /// Plain Monte Carlo.
    Mc,
    /// Latin hypercube.
    Lhs,
}

/// A target named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TargetArg {
    /// Annual revenue.
    Revenue,
    /// Annual profit.
    Profit,
    /// Both in the same year.
    Both,
}

/// Where and how to write a report `R`: `--format` (the formats `R`
/// declares, and its help naming those and no others), `--output`, and
/// `--date` only when `R` has a workbook to date. Built from `R` alone, so
/// that no command's help, manual page or completion offers what its
/// report has not.
pub struct Output<R> {
    /// As given.
    pub args: OutputArgs,
    report: PhantomData<fn() -> R>,
}

/// Where and how to write a report, as given.
#[derive(Debug, Clone, Default)]
pub struct OutputArgs {
    /// `--format`.
    pub format: Option<FormatArg>,
    /// `--output`.
    pub output: Option<PathBuf>,
    /// `--date`.
    pub date: Option<String>,
}

/// The flags of every report.
#[derive(Debug, Args)]
struct FileFlags {
    /// Output format, of those the command offers.
    #[arg(long, short = 'f')]
    format: Option<FormatArg>,
    /// Write the report to this file instead of standard output. Checked
    /// before any work; written whole or not at all (a temporary file beside
    /// it, then a rename); a device such as /dev/null is written in place.
    #[arg(long, short = 'o', value_name = "PATH")]
    output: Option<PathBuf>,
}

/// The flag of a report with a workbook.
#[derive(Debug, Args)]
struct DateFlag {
    /// The date a workbook says it is as of, YYYY-MM-DD. Default: the
    /// environment's SOURCE_DATE_EPOCH, else today (UTC); the same date
    /// gives the same bytes.
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
}

impl<R> std::ops::Deref for Output<R> {
    type Target = OutputArgs;
    fn deref(&self) -> &OutputArgs {
        &self.args
    }
}

impl<R> std::fmt::Debug for Output<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.args.fmt(f)
    }
}

impl<R: Report> Args for Output<R> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        let help = format_help(R::FORMATS);
        let cmd = FileFlags::augment_args(cmd).mut_arg("format", |a| {
            formats::<R>(a).help(help.clone()).long_help(help)
        });
        if R::dated() {
            DateFlag::augment_args(cmd)
        } else {
            cmd
        }
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

impl<R: Report> FromArgMatches for Output<R> {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        Self::from_arg_matches_mut(&mut m.clone())
    }

    fn from_arg_matches_mut(m: &mut ArgMatches) -> Result<Self, clap::Error> {
        let FileFlags { format, output } = FileFlags::from_arg_matches_mut(m)?;
        // Asked for only when it was offered: clap has no `date` otherwise.
        let date = if R::dated() {
            DateFlag::from_arg_matches_mut(m)?.date
        } else {
            None
        };
        Ok(Output {
            args: OutputArgs {
                format,
                output,
                date,
            },
            report: PhantomData,
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

/// `kpisim merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shard states, one for each shard of the run, in any order.
    #[arg(required = true, value_name = "PART")]
    pub parts: Vec<PathBuf>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: Output<Runs>,
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
    /// sampled input levels to this file (one scenario only): Parquet for a
    /// .parquet name, CSV for a .csv name. Written together with the report:
    /// both appear, or neither.
    #[arg(long, value_name = "FILE")]
    pub trials_out: Option<PathBuf>,
    /// With --trials-out, also each month's revenue and profit of every
    /// trial: columns revenue_m01 .. and profit_m01 .., 16 bytes a trial a
    /// month in memory (192 for 12 months; 1,000,000 trials: 192 MB more).
    #[arg(long, requires = "trials_out")]
    pub trials_monthly: bool,
    /// Simulate only shard K of M (K counted from 0): a fixed share of the
    /// run's chunks of 8,192 trials, so that the M shards together are
    /// exactly the one-machine run of --trials with --seed. Writes no
    /// report: the shard's state goes to --state-out, and `kpisim merge`
    /// of all M parts prints the run's report. One scenario; not with
    /// --point, --trials-out, --precision, --format or --output.
    #[arg(long, value_name = "K/M", value_parser = values::shard, requires = "state_out")]
    pub shard: Option<(u64, u64)>,
    /// Where --shard writes the shard's state (a binary file for `kpisim
    /// merge`). Written whole or not at all.
    #[arg(long, value_name = "PART", requires = "shard")]
    pub state_out: Option<PathBuf>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub sim: SimArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: Output<Runs>,
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
