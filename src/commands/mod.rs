//! One file per subcommand: load -> compile -> simulate -> export.

mod check;
mod kpis;
mod run;
mod stress;
mod sweep;

pub use kpis::kpi_report;
pub use run::{Simulated, simulate, simulate_scenario};
pub use stress::stress_report;
pub use sweep::sweep_report;

use std::io::Write;
use std::path::Path;

use crate::cli::{Cli, Command};
use crate::error::{Error, Result};
use crate::export::write_atomic;
use crate::options::{KpisOptions, RunOptions, StressOptions, SweepOptions};
use crate::scenario::{self, Loaded};

/// Runs the command the user typed.
pub fn dispatch(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(a) => run::run(&RunOptions::from_args(&a)?),
        Command::Check(a) => check::check(&a.scenarios),
        Command::Stress(a) => stress::stress(&StressOptions::from_args(&a)?),
        Command::Sweep(a) => sweep::sweep(&SweepOptions::from_args(&a)?),
        Command::Kpis(a) => kpis::kpis(&KpisOptions::from_args(&a)?),
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
            Err(Error::Scenario(errs)) => problems.extend(errs),
            Err(e) => return Err(e),
        }
    }
    if problems.is_empty() {
        Ok(loaded)
    } else {
        Err(Error::Scenario(problems))
    }
}

/// Writes a rendered report to `output` (atomically) or to standard output.
pub(crate) fn emit(output: Option<&Path>, text: &str) -> Result<()> {
    match output {
        Some(path) => write_atomic(path, |f| {
            f.write_all(text.as_bytes()).map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            })
        }),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush())
                .map_err(|source| Error::Io {
                    path: "<stdout>".into(),
                    source,
                })
        }
    }
}
