//! `kpisim completions` and `kpisim man`: what a command-line user expects
//! besides `--help`, generated from the same definitions.

use clap::CommandFactory;

use super::emit;
use crate::cli::Cli;
use crate::error::{Error, Result};
use crate::options::OutputOptions;

/// Prints the completion script of `shell`.
pub fn completions(shell: clap_complete::Shell) -> Result<()> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "kpisim", &mut buf);
    emit(&OutputOptions::text()?, &buf)
}

/// Prints the manual page in roff.
pub fn man() -> Result<()> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|e| Error::Other(format!("cannot render the manual page: {e}")))?;
    emit(&OutputOptions::text()?, &buf)
}
