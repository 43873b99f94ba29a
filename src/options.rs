//! Validated options: what the typed command line means, with the checks
//! that span several arguments done once, before any work. Every limit a
//! run could hit later (trials, threads, steps, output paths) is checked
//! here, so that a refusal never comes after minutes of simulation.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::aggregate::{
    ExplainReport, FitReport, KpiReport, SensitivityReport, SolveReport, StressReport, SweepReport,
    TrackReport,
};
use crate::analysis::sweep_levels;
use crate::cli::{
    ExplainArgs, FitArgs, KpisArgs, MergeArgs, OutputArgs, ReportArgs, RunArgs, SamplingArg,
    SensitivityArgs, ServeArgs, SimArgs, SolveArgs, SpreadArg, StressArgs, SweepArgs, TargetArg,
    TrackArgs,
};
use crate::engine::{ChunkShare, Sampling};
use crate::error::{Error, Result, Usage};
use crate::export::reports::{Plans, Runs};
use crate::export::{AsOf, Format, Report, TrialsFormat, offered};
use crate::history::fitted::{FitChoices, Spread};
use crate::model::{REPLICATES, Target};
use crate::output::{
    DirTarget, FileTarget, OutputError, OutputProblem, check_distinct, is_stdout, stdout_is_open,
};

/// Most trials a run accepts.
pub const MAX_TRIALS: u64 = 500_000_000;

/// Most worker threads: more than any machine kpisim runs on has cores,
/// and few enough that a typo (`-j 10000`) cannot exhaust the system.
pub const MAX_THREADS: u64 = 256;

/// Most steps of a sweep: each step is one full run.
pub const MAX_STEPS: u64 = 1001;

/// Simulation options shared by the commands that simulate.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// Trials per scenario.
    pub trials: u64,
    /// Seed.
    pub seed: u64,
    /// Worker threads.
    pub threads: usize,
    /// Show a progress bar when the work is long enough to watch: stderr is
    /// a terminal and `--quiet` was not given.
    pub progress: bool,
    /// How each input's D is drawn.
    pub sampling: Sampling,
    /// `--precision`: stop when the standard error of this target's
    /// probability is at most this.
    pub precision: Option<(f64, Target)>,
}

impl From<TargetArg> for Target {
    fn from(t: TargetArg) -> Self {
        match t {
            TargetArg::Revenue => Target::Revenue,
            TargetArg::Profit => Target::Profit,
            TargetArg::Both => Target::Both,
        }
    }
}

impl SimOptions {
    /// Checks `--trials` and `--threads`.
    pub fn from_args(a: &SimArgs) -> Result<Self> {
        if a.trials == 0 || a.trials > MAX_TRIALS {
            return Err(range(
                "--trials",
                a.trials.to_string(),
                format!("from 1 to {}", crate::present::thousands(MAX_TRIALS)),
            ));
        }
        let threads = match a.threads {
            Some(t) if t == 0 || t > MAX_THREADS => {
                return Err(range(
                    "--threads",
                    t.to_string(),
                    format!("from 1 to {MAX_THREADS}"),
                ));
            }
            Some(t) => t as usize,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        // A bar only where someone watches; `commands` shows it only for work
        // long enough to watch.
        let progress = !a.quiet && std::io::stderr().is_terminal();
        let sampling = match a.sampling {
            SamplingArg::Mc => Sampling::MonteCarlo,
            SamplingArg::Lhs => Sampling::LatinHypercube,
        };
        if sampling == Sampling::LatinHypercube && a.trials < 2 * REPLICATES as u64 {
            return Err(range(
                "--trials",
                a.trials.to_string(),
                format!(
                    "at least {} with --sampling lhs (two a replicate)",
                    2 * REPLICATES
                ),
            ));
        }
        let precision = match a.precision {
            None => None,
            Some(se) if !(se > 0.0 && se < 0.5) => {
                return Err(range(
                    "--precision",
                    crate::present::num(se),
                    "a standard error between 0 and 0.5, e.g. 0.001".into(),
                ));
            }
            Some(_) if sampling == Sampling::LatinHypercube => {
                return Err(Error::from(Usage::PrecisionWithLhs));
            }
            Some(se) => Some((se, a.precision_target.into())),
        };
        Ok(SimOptions {
            trials: a.trials,
            seed: a.seed,
            threads,
            progress,
            sampling,
            precision,
        })
    }
}

/// Where the report goes.
#[derive(Debug, Clone)]
pub struct OutputOptions {
    /// Format.
    pub format: Format,
    /// File, or standard output.
    pub target: Option<FileTarget>,
    /// The date a workbook says it is as of.
    pub as_of: AsOf,
}

/// The date a report for people says it is as of: `--date`, else the
/// environment's `SOURCE_DATE_EPOCH` (seconds since 1970, as reproducible
/// builds set it), else today, in UTC.
pub fn as_of(date: Option<&str>) -> Result<AsOf> {
    if let Some(d) = date {
        return AsOf::parse(d).ok_or_else(|| {
            range(
                "--date",
                d.to_string(),
                "a date written YYYY-MM-DD, e.g. 2016-12-31".into(),
            )
        });
    }
    if let Ok(v) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = v.trim().parse().map_err(|_| {
            range(
                "SOURCE_DATE_EPOCH",
                v.clone(),
                "a whole number of seconds since 1970-01-01".into(),
            )
        })?;
        return Ok(AsOf::from_unix_seconds(secs));
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    Ok(AsOf::from_unix_seconds(now))
}

/// Checks a count of trials: `flag` names where it came from (`--trials`,
/// or a request's `trials`).
pub fn check_trials(flag: &'static str, trials: u64) -> Result<()> {
    if trials == 0 || trials > MAX_TRIALS {
        return Err(range(
            flag,
            trials.to_string(),
            format!("from 1 to {}", crate::present::thousands(MAX_TRIALS)),
        ));
    }
    Ok(())
}

/// Shortest token `--token` takes: 16 characters of 64 kinds, 96 bits.
pub const MIN_TOKEN: usize = 16;

/// `kpisim serve`, checked.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The scenario file.
    pub scenario: PathBuf,
    /// Where to listen.
    pub addr: std::net::SocketAddr,
    /// Trials of a run unless a request asks for others.
    pub trials: u64,
    /// Seed unless a request asks for another.
    pub seed: u64,
    /// Worker threads of each run.
    pub threads: usize,
    /// `--token`, as given.
    pub token: Option<String>,
}

impl ServeOptions {
    /// Checks the address, the trials and the token.
    pub fn from_args(a: &ServeArgs) -> Result<Self> {
        check_trials("--trials", a.trials)?;
        // `[::1]` as in a URL is taken too.
        let bare = a.bind.trim_start_matches('[').trim_end_matches(']');
        let ip: std::net::IpAddr = bare.parse().map_err(|_| {
            range(
                "--bind",
                a.bind.clone(),
                "an IP address, e.g. 127.0.0.1 (this machine only), ::1 or 0.0.0.0 (every interface)"
                    .into(),
            )
        })?;
        if let Some(t) = &a.token {
            let ok = t.len() >= MIN_TOKEN
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !ok {
                return Err(range(
                    "--token",
                    "(hidden)".into(),
                    format!(
                        "at least {MIN_TOKEN} characters, each a letter, a digit, - or _ (it goes into a URL)"
                    ),
                ));
            }
        }
        Ok(ServeOptions {
            scenario: a.scenario.clone(),
            addr: std::net::SocketAddr::new(ip, a.port),
            trials: a.trials,
            seed: a.seed,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            token: a.token.clone(),
        })
    }
}

fn range(flag: &'static str, value: String, range: String) -> Error {
    Error::from(Usage::Range { flag, value, range })
}

/// The format an output file's extension asks for: a table unless it says
/// JSON or CSV.
fn format_of(path: &Path) -> Result<Format> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let refuse = |why| {
        Err(Error::from(OutputError::Refused {
            flag: "--output",
            path: path.to_path_buf(),
            problem: OutputProblem::Format(why),
        }))
    };
    match ext.as_str() {
        "json" => Ok(Format::Json),
        "csv" => Ok(Format::Csv),
        "parquet" => refuse(
            "reports are a table, JSON, CSV or an Excel workbook (.xlsx); every trial goes to Parquet with --trials-out",
        ),
        "xlsx" => Ok(Format::Xlsx),
        "xls" => refuse("kpisim writes Excel workbooks as .xlsx; name the file .xlsx"),
        _ => Ok(Format::Table),
    }
}

/// What `report` writes to `path`: the page for a name ending in .html
/// (or .htm, or none, as a device has), the board pack for .xlsx. Any
/// other name is refused: a page written to `x.json` would be a file that
/// is not what its name says.
fn report_format(path: &Path) -> Result<Format> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        None | Some("html" | "htm") => Ok(Format::Html),
        Some("xlsx") => Ok(Format::Xlsx),
        Some(_) => Err(Error::from(OutputError::Refused {
            flag: "--output",
            path: path.to_path_buf(),
            problem: OutputProblem::Format(
                "report writes an HTML page (name it .html) or the board pack, a workbook (name it .xlsx)",
            ),
        })),
    }
}

impl OutputOptions {
    /// Resolves and checks the output path (before any simulation), and the
    /// format: `--format`, else the output's extension, else a table. A
    /// format the report `R` does not have is refused, and so is a date
    /// when it has nothing that says one.
    pub fn of<R: Report>(a: &OutputArgs) -> Result<Self> {
        if a.date.is_some() && !R::dated() {
            return Err(Error::from(Usage::NoDate(R::NAME)));
        }
        let out = Self::from_args(a)?;
        if !R::FORMATS.contains(&out.format) {
            return Err(Error::from(Usage::NoFormat {
                what: R::NAME,
                format: out.format.noun(),
                offered: offered(R::FORMATS),
            }));
        }
        Ok(out)
    }

    /// Resolves and checks the output path (before any simulation), and the
    /// format: `--format`, else the output's extension, else a table.
    fn from_args(a: &OutputArgs) -> Result<Self> {
        let OutputArgs {
            format,
            output,
            date,
        } = a;
        let target = match output {
            Some(p) => Some(FileTarget::check("--output", p)?),
            None => {
                if !stdout_is_open() {
                    return Err(Error::Other(
                        "standard output is closed: give --output FILE, or leave stdout open"
                            .into(),
                    ));
                }
                None
            }
        };
        let format = match (*format, output) {
            (Some(f), _) => f.into(),
            (None, Some(p)) => format_of(p)?,
            (None, None) => Format::Table,
        };
        let to_stdout = target.as_ref().is_none_or(|t| {
            let p = t.path();
            is_stdout(p)
                || p == Path::new("/dev/stdout")
                || p == Path::new("/dev/fd/1")
                || p == Path::new("-")
        });
        if format == Format::Xlsx && to_stdout {
            return Err(Error::from(Usage::WorkbookOnStdout));
        }
        Ok(OutputOptions {
            format,
            target,
            as_of: as_of(date.as_deref())?,
        })
    }

    /// Standard output, which must be open, for text that is no report
    /// (`check`, `man`, completions).
    pub fn text() -> Result<Self> {
        Self::from_args(&OutputArgs {
            format: None,
            output: None,
            date: None,
        })
    }

    /// Standard output, which must be open, in `format`.
    pub fn stdout<R: Report>(format: Format) -> Result<Self> {
        let out = Self::of::<R>(&OutputArgs {
            format: None,
            output: None,
            date: None,
        })?;
        Ok(OutputOptions { format, ..out })
    }

    /// Refuses an output file that is one of the scenario files.
    fn spares(&self, scenarios: &[PathBuf]) -> Result<()> {
        outputs_spare_inputs(&self.target.iter().collect::<Vec<_>>(), scenarios)
    }
}

/// Refuses outputs that are one of the scenario files, or each other.
fn outputs_spare_inputs(outputs: &[&FileTarget], scenarios: &[PathBuf]) -> Result<()> {
    let inputs: Vec<(&'static str, &Path)> = scenarios
        .iter()
        .map(|p| ("scenario file", p.as_path()))
        .collect();
    Ok(check_distinct(outputs, &inputs)?)
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
        let out = OutputOptions::of::<StressReport>(&a.out)?;
        out.spares(std::slice::from_ref(&a.scenario))?;
        // A case named twice runs once, where it was first named.
        let mut cases: Vec<String> = Vec::with_capacity(a.cases.len());
        for c in &a.cases {
            if !cases.contains(c) {
                cases.push(c.clone());
            }
        }
        Ok(StressOptions {
            scenario: a.scenario.clone(),
            cases,
            sim: SimOptions::from_args(&a.sim)?,
            out,
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

/// Checks a probability level given as an option: a fraction strictly
/// between 0 and 1.
pub fn fraction(flag: &'static str, v: f64) -> Result<f64> {
    if v > 0.0 && v < 1.0 {
        Ok(v)
    } else {
        Err(range(
            flag,
            crate::present::num(v),
            "a fraction between 0 and 1, e.g. 0.8".into(),
        ))
    }
}

impl SweepOptions {
    /// Checks the arguments of `kpisim sweep`.
    pub fn from_args(a: &SweepArgs) -> Result<Self> {
        for (flag, v) in [("--from", a.from), ("--to", a.to)] {
            if !v.is_finite() {
                return Err(range(
                    flag,
                    crate::present::num(v),
                    "a finite number".into(),
                ));
            }
        }
        if !(2..=MAX_STEPS).contains(&a.steps) {
            return Err(range(
                "--steps",
                a.steps.to_string(),
                format!("from 2 to {MAX_STEPS} (each step is a full run)"),
            ));
        }
        let levels = sweep_levels(a.level.map(|l| fraction("--level", l)).transpose()?);
        // 0.5 + 6 × 0.025 is 0.65, not 0.6499999999999999.
        let values = crate::present::evenly(a.from, a.to, a.steps as usize);
        let out = OutputOptions::of::<SweepReport>(&a.out)?;
        out.spares(std::slice::from_ref(&a.scenario))?;
        Ok(SweepOptions {
            scenario: a.scenario.clone(),
            path: a.path.clone(),
            values,
            levels,
            sim: SimOptions::from_args(&a.sim)?,
            out,
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
        let confidence = a
            .confidence
            .map(|c| fraction("--confidence", c))
            .transpose()?;
        let out = OutputOptions::of::<KpiReport>(&a.out)?;
        out.spares(std::slice::from_ref(&a.scenario))?;
        Ok(KpisOptions {
            scenario: a.scenario.clone(),
            confidence,
            sim: SimOptions::from_args(&a.sim)?,
            out,
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
    /// Per-trial file and its format.
    pub trials_out: Option<(FileTarget, TrialsFormat)>,
    /// Each trial's monthly revenue and profit too, in that file.
    pub trials_monthly: bool,
    /// With `--shard`: which shard, and where its state goes.
    pub shard: Option<ShardOut>,
    /// Simulation.
    pub sim: SimOptions,
    /// Report.
    pub out: OutputOptions,
}

impl RunOptions {
    /// Cross-argument checks of `kpisim run`.
    pub fn from_args(a: &RunArgs) -> Result<Self> {
        if a.trials_out.is_some() && a.point {
            return Err(Error::from(Usage::TrialsOutWithPoint));
        }
        if a.trials_out.is_some() && a.scenarios.len() > 1 {
            return Err(Error::from(Usage::TrialsOutScenarios(a.scenarios.len())));
        }
        let trials_out = match &a.trials_out {
            None => None,
            Some(p) => {
                let ext = p
                    .extension()
                    .map(|e| e.to_string_lossy().to_ascii_lowercase());
                let format = match ext.as_deref() {
                    Some("parquet") => TrialsFormat::Parquet,
                    Some("csv") => TrialsFormat::Csv,
                    _ => return Err(Error::from(Usage::TrialsOutFormat(p.clone()))),
                };
                Some((FileTarget::check("--trials-out", p)?, format))
            }
        };
        let shard = match (a.shard, &a.state_out) {
            (Some((index, count)), Some(path)) => {
                let conflicts = [
                    (a.point, "--point"),
                    (a.trials_out.is_some(), "--trials-out"),
                    (a.sim.precision.is_some(), "--precision"),
                    (a.out.format.is_some(), "--format"),
                    (a.out.output.is_some(), "--output"),
                ];
                if let Some((_, flag)) = conflicts.iter().find(|(given, _)| *given) {
                    return Err(Error::from(Usage::ShardWith(flag)));
                }
                if a.scenarios.len() > 1 {
                    return Err(Error::from(Usage::ShardScenarios(a.scenarios.len())));
                }
                Some(ShardOut {
                    share: ChunkShare { index, count },
                    target: FileTarget::check("--state-out", path)?,
                })
            }
            _ => None,
        };
        let out = if a.point {
            OutputOptions::of::<Plans>(&a.out)?
        } else {
            OutputOptions::of::<Runs>(&a.out)?
        };
        let mut outputs: Vec<&FileTarget> = out.target.iter().collect();
        outputs.extend(trials_out.iter().map(|(t, _)| t));
        outputs.extend(shard.iter().map(|s| &s.target));
        outputs_spare_inputs(&outputs, &a.scenarios)?;
        Ok(RunOptions {
            scenarios: a.scenarios.clone(),
            point: a.point,
            trials_out,
            trials_monthly: a.trials_monthly,
            shard,
            sim: SimOptions::from_args(&a.sim)?,
            out,
        })
    }
}

/// `kpisim run --shard K/M --state-out PART`, validated.
#[derive(Debug, Clone)]
pub struct ShardOut {
    /// Which shard of how many.
    pub share: ChunkShare,
    /// Where its state goes.
    pub target: FileTarget,
}

/// `kpisim merge`, validated.
#[derive(Debug, Clone)]
pub struct MergeOptions {
    /// The parts.
    pub parts: Vec<PathBuf>,
    /// Report.
    pub out: OutputOptions,
}

impl MergeOptions {
    /// Checks the arguments of `kpisim merge`.
    pub fn from_args(a: &MergeArgs) -> Result<Self> {
        let out = OutputOptions::of::<Runs>(&a.out)?;
        let inputs: Vec<(&'static str, &Path)> =
            a.parts.iter().map(|p| ("part", p.as_path())).collect();
        check_distinct(&out.target.iter().collect::<Vec<_>>(), &inputs)?;
        Ok(MergeOptions {
            parts: a.parts.clone(),
            out,
        })
    }
}

/// `kpisim sensitivity`, validated.
#[derive(Debug, Clone)]
pub struct SensitivityOptions {
    /// Scenario file.
    pub scenario: PathBuf,
    /// Simulation.
    pub sim: SimOptions,
    /// Report.
    pub out: OutputOptions,
}

impl SensitivityOptions {
    /// Checks the arguments of `kpisim sensitivity`.
    pub fn from_args(a: &SensitivityArgs) -> Result<Self> {
        let out = OutputOptions::of::<SensitivityReport>(&a.out)?;
        out.spares(std::slice::from_ref(&a.scenario))?;
        Ok(SensitivityOptions {
            scenario: a.scenario.clone(),
            sim: SimOptions::from_args(&a.sim)?,
            out,
        })
    }
}

/// `kpisim explain`, validated.
#[derive(Debug, Clone)]
pub struct ExplainOptions {
    /// Scenario file.
    pub scenario: PathBuf,
    /// Whose misses.
    pub target: Target,
    /// The density and least mass of the box.
    pub ask: crate::aggregate::Ask,
    /// Simulation.
    pub sim: SimOptions,
    /// Report.
    pub out: OutputOptions,
}

impl ExplainOptions {
    /// Checks the arguments of `kpisim explain`.
    pub fn from_args(a: &ExplainArgs) -> Result<Self> {
        if !(a.density > 0.0 && a.density <= 1.0) {
            return Err(range(
                "--density",
                crate::present::num(a.density),
                "a fraction above 0 and at most 1, e.g. 0.8".into(),
            ));
        }
        let min_mass = fraction("--min-mass", a.min_mass)?;
        let out = OutputOptions::of::<ExplainReport>(&a.out)?;
        out.spares(std::slice::from_ref(&a.scenario))?;
        Ok(ExplainOptions {
            scenario: a.scenario.clone(),
            target: a.target.into(),
            ask: crate::aggregate::Ask {
                density: a.density,
                min_mass,
            },
            sim: SimOptions::from_args(&a.sim)?,
            out,
        })
    }
}

/// `kpisim solve`, validated.
#[derive(Debug, Clone)]
pub struct SolveOptions {
    /// Scenario file.
    pub scenario: PathBuf,
    /// The lever's path.
    pub lever: String,
    /// The probability to reach.
    pub confidence: f64,
    /// Whose probability.
    pub target: Target,
    /// `--min` and `--max`, when given.
    pub range: (Option<f64>, Option<f64>),
    /// `--monthly`.
    pub monthly: bool,
    /// Simulation.
    pub sim: SimOptions,
    /// Report.
    pub out: OutputOptions,
}

impl SolveOptions {
    /// Checks the arguments of `kpisim solve`.
    pub fn from_args(a: &SolveArgs) -> Result<Self> {
        let confidence = fraction("--confidence", a.confidence)?;
        for (flag, v) in [("--min", a.min), ("--max", a.max)] {
            if let Some(v) = v.filter(|v| !v.is_finite()) {
                return Err(range(
                    flag,
                    crate::present::num(v),
                    "a finite number".into(),
                ));
            }
        }
        if let (Some(lo), Some(hi)) = (a.min, a.max)
            && lo >= hi
        {
            return Err(range(
                "--min",
                crate::present::num(lo),
                format!("below --max {}", crate::present::num(hi)),
            ));
        }
        let out = OutputOptions::of::<SolveReport>(&a.out)?;
        out.spares(std::slice::from_ref(&a.scenario))?;
        Ok(SolveOptions {
            scenario: a.scenario.clone(),
            lever: a.lever.clone(),
            confidence,
            target: a.target.into(),
            range: (a.min, a.max),
            monthly: a.monthly,
            sim: SimOptions::from_args(&a.sim)?,
            out,
        })
    }
}

/// `kpisim fit`, validated.
#[derive(Debug, Clone)]
pub struct FitOptions {
    /// The history file.
    pub history: PathBuf,
    /// The plan.
    pub plan: PathBuf,
    /// Where the fitted scenario goes.
    pub fitted: FileTarget,
    /// `--holdout`.
    pub holdout: Option<u64>,
    /// `--spread` and `--keep-profiles`.
    pub choices: FitChoices,
    /// Simulation of the backtest.
    pub sim: SimOptions,
    /// The report, on standard output.
    pub out: OutputOptions,
}

impl FitOptions {
    /// Checks the arguments of `kpisim fit`.
    pub fn from_args(a: &FitArgs) -> Result<Self> {
        let fitted = FileTarget::check("--output", &a.output)?;
        let out = OutputOptions::stdout::<FitReport>(a.format.into())?;
        check_distinct(
            &[&fitted],
            &[
                ("history file", a.history.as_path()),
                ("scenario file", a.plan.as_path()),
            ],
        )?;
        Ok(FitOptions {
            history: a.history.clone(),
            plan: a.plan.clone(),
            fitted,
            // Zero months held out is no backtest, not an empty one.
            holdout: a.holdout.filter(|&k| k > 0),
            choices: FitChoices {
                spread: match a.spread {
                    SpreadArg::Plan => Spread::Plan,
                    SpreadArg::History => Spread::History,
                },
                keep_profiles: a.keep_profiles,
            },
            sim: SimOptions::from_args(&a.sim)?,
            out,
        })
    }
}

/// `kpisim track`, validated.
#[derive(Debug, Clone)]
pub struct TrackOptions {
    /// The year's plan.
    pub scenario: PathBuf,
    /// The actuals file.
    pub actuals: PathBuf,
    /// Simulation.
    pub sim: SimOptions,
    /// Report.
    pub out: OutputOptions,
}

impl TrackOptions {
    /// Checks the arguments of `kpisim track`.
    pub fn from_args(a: &TrackArgs) -> Result<Self> {
        let out = OutputOptions::of::<TrackReport>(&a.out)?;
        check_distinct(
            &out.target.iter().collect::<Vec<_>>(),
            &[
                ("scenario file", a.scenario.as_path()),
                ("actuals file", a.actuals.as_path()),
            ],
        )?;
        Ok(TrackOptions {
            scenario: a.scenario.clone(),
            actuals: a.actuals.clone(),
            sim: SimOptions::from_args(&a.sim)?,
            out,
        })
    }
}

/// `kpisim report`, validated.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Scenario file.
    pub scenario: PathBuf,
    /// The page, or the board pack.
    pub output: FileTarget,
    /// HTML, or a workbook for an output named `.xlsx`.
    pub format: Format,
    /// The date the report says it is as of.
    pub as_of: AsOf,
    /// Each chart's SVG file, with `--charts`, in
    /// [`crate::export::html::charts::CHART_NAMES`] order.
    pub charts: Vec<FileTarget>,
    /// Simulation.
    pub sim: SimOptions,
}

impl ReportOptions {
    /// Checks the arguments of `kpisim report`. A `--charts` directory that
    /// does not exist is checked here and created only when the charts are
    /// written.
    pub fn from_args(a: &ReportArgs) -> Result<Self> {
        let format = report_format(&a.output)?;
        let output = FileTarget::check("--output", &a.output)?;
        if format == Format::Xlsx && is_stdout(&a.output) {
            return Err(Error::from(Usage::WorkbookOnStdout));
        }
        let sim = SimOptions::from_args(&a.sim)?;
        let mut charts = Vec::new();
        if let Some(dir) = &a.charts {
            let dir = DirTarget::check("--charts", dir)?;
            dir.check_apart_from(&output)?;
            for name in crate::export::html::charts::CHART_NAMES {
                charts.push(dir.file(&format!("{name}.svg"))?);
            }
        }
        let mut outputs = vec![&output];
        outputs.extend(charts.iter());
        outputs_spare_inputs(&outputs, std::slice::from_ref(&a.scenario))?;
        Ok(ReportOptions {
            scenario: a.scenario.clone(),
            output,
            format,
            as_of: as_of(a.date.as_deref())?,
            charts,
            sim,
        })
    }
}
