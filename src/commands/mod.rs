//! One file per subcommand: load, choose options, call the analysis,
//! render, write. This is the layer that knows the terminal: it builds the
//! engine's configuration, draws the progress bar, shows warnings and
//! notes on stderr, and removes a run's temporary files on a signal.

mod check;
mod explain;
mod fit;
mod kpis;
mod meta;
mod progress;
mod report;
mod run;
mod sensitivity;
mod serve;
mod shard;
mod solve;
mod stress;
mod sweep;
mod track;

use crate::analysis::Sim;
use crate::cli::{Cli, Command};
use crate::engine::{self, available_memory};
use crate::error::{Error, Result};
use crate::options::{
    ExplainOptions, FitOptions, KpisOptions, MergeOptions, OutputOptions, ReportOptions,
    RunOptions, SensitivityOptions, ServeOptions, SimOptions, SolveOptions, StressOptions,
    SweepOptions, TrackOptions,
};
use crate::output::{Outputs, remove_pending};
use crate::scenario::{self, Loaded, ScenarioErrors};

/// Runs the command the user typed.
pub fn dispatch(cli: Cli) -> Result<()> {
    clean_up_on_signals();
    match cli.command {
        Command::Run(a) => run::run(&RunOptions::from_args(&a)?),
        Command::Check(a) => check::check(&a.scenarios),
        Command::Stress(a) => stress::stress(&StressOptions::from_args(&a)?),
        Command::Sweep(a) => sweep::sweep(&SweepOptions::from_args(&a)?),
        Command::Kpis(a) => kpis::kpis(&KpisOptions::from_args(&a)?),
        Command::Sensitivity(a) => sensitivity::sensitivity(&SensitivityOptions::from_args(&a)?),
        Command::Explain(a) => explain::explain(&ExplainOptions::from_args(&a)?),
        Command::Solve(a) => solve::solve(&SolveOptions::from_args(&a)?),
        Command::Fit(a) => fit::fit(&FitOptions::from_args(&a)?),
        Command::Track(a) => track::track(&TrackOptions::from_args(&a)?),
        Command::Report(a) => report::report(&ReportOptions::from_args(&a)?),
        Command::Merge(a) => shard::merge(&MergeOptions::from_args(&a)?),
        Command::Serve(a) => serve::serve(&ServeOptions::from_args(&a)?),
        Command::Completions(a) => meta::completions(a.shell),
        Command::Man(a) => meta::man(&a),
    }
}

/// On SIGINT, SIGTERM or SIGHUP: remove the temporary files of outputs not
/// yet written, then exit as a process killed by that signal would
/// (128 + its number), so that an interrupted run leaves nothing behind.
/// SIGXFSZ is ignored, so that a write beyond a file-size limit fails as an
/// error rather than killing the process.
fn clean_up_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    // A file-size limit (`ulimit -f`) would kill the process mid-write with
    // SIGXFSZ, leaving a temporary file behind; ignored, the write fails
    // with EFBIG instead, and the failed output is cleaned up like any
    // other.
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN has no
    // preconditions and runs before any other thread starts.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            remove_pending();
            std::process::exit(128 + sig);
        }
    });
}

/// The engine configuration of `sim`, with a progress bar over `runs` runs
/// when one is wanted, and the memory the machine has free as the limit.
pub(crate) fn engine_config(sim: &SimOptions, runs: u64) -> engine::Config {
    engine::Config {
        progress: progress::bar(sim, runs),
        memory_limit: available_memory(),
        sampling: sim.sampling,
        ..engine::Config::new(sim.trials, sim.seed, sim.threads)
    }
}

/// The simulations `opts` ask for, `runs` of them (for the progress bar).
pub(crate) fn sim(opts: &SimOptions, runs: u64) -> Sim {
    Sim {
        cfg: engine_config(opts, runs),
        precision: opts.precision,
        paths: false,
    }
}

/// Says on stderr when `--precision` was not reached before `--trials` ran
/// out: the run is still reported (exit 0).
pub(crate) fn note_precision(h: &crate::aggregate::Header) {
    if let Some(p) = h.precision.filter(|p| !p.reached) {
        eprintln!(
            "kpisim: note: {}: the standard error of P({}) is {} after {} trials, above the {} asked; \
             give more --trials to reach it",
            crate::present::printable(&h.scenario),
            p.target,
            crate::present::num(p.standard_error),
            crate::present::thousands(h.trials),
            crate::present::num(p.asked)
        );
    }
}

/// Loads and validates a scenario, and shows its warnings (likely slips)
/// on stderr.
pub(crate) fn load(path: &std::path::Path) -> Result<Loaded> {
    let l = scenario::load(path)?;
    warn(&l);
    Ok(l)
}

fn warn(l: &Loaded) {
    for w in &l.warnings {
        eprintln!(
            "kpisim: warning: {}",
            crate::present::printable(&w.to_string())
        );
    }
}

/// Loads and validates every scenario before any is simulated, reporting the
/// problems of all of them at once.
pub(crate) fn load_all(paths: &[std::path::PathBuf]) -> Result<Vec<Loaded>> {
    let mut loaded = Vec::with_capacity(paths.len());
    let mut problems = Vec::new();
    for p in paths {
        match scenario::load(p) {
            Ok(l) => loaded.push(l),
            Err(errs) => problems.extend(errs.0),
        }
    }
    if problems.is_empty() {
        loaded.iter().for_each(warn);
        Ok(loaded)
    } else {
        Err(Error::Scenario(ScenarioErrors(problems)))
    }
}

/// Writes a rendered report where `out` says, whole or not at all.
pub(crate) fn emit(out: &OutputOptions, bytes: &[u8]) -> Result<()> {
    let mut outputs = Outputs::new();
    outputs.stage_bytes(out.target.as_ref(), bytes)?;
    Ok(outputs.commit()?)
}
