//! Error types and their exit codes.
//!
//! The library returns these; `main` prints them, one plain line each, and
//! maps them to the exit codes (README, "Commands") in one place
//! ([`Error::exit_code`]): 2 for what the user can fix in the command or the
//! scenario, 1 for what went wrong around it (a disk, a closed output).

use std::path::PathBuf;

pub use crate::scenario::{OverrideError, ScenarioError, ScenarioErrorKind};

/// Why an output path is refused, before any work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutputProblem {
    /// Empty path.
    #[error("is empty")]
    Empty,
    /// An existing directory.
    #[error("is a directory; give a file name")]
    IsDirectory,
    /// Ends in `/`.
    #[error("names a directory; give a file name")]
    NamesDirectory,
    /// Its directory does not exist.
    #[error("cannot write here: the directory {0} does not exist")]
    MissingDirectory(PathBuf),
    /// A symbolic link to nothing.
    #[error("is a symbolic link to a file that does not exist; name the file itself")]
    DanglingLink,
    /// The directory does not take a new file.
    #[error("cannot write in {dir}: {reason}")]
    NotWritable {
        /// The directory.
        dir: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// Replacing it would change its owner.
    #[error(
        "belongs to another user; replacing it would change its owner: write to another path, or remove it first"
    )]
    OtherOwner,
    /// An extension that names a format kpisim does not write.
    #[error("{0}")]
    Format(&'static str),
}

/// A command line that asks for something impossible (exit 2). Each
/// variant's message says what is wrong and what would be right.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Usage {
    /// An option's value out of its range.
    #[error("{flag} {value}: must be {range}")]
    Range {
        /// The option.
        flag: &'static str,
        /// Its value as given.
        value: String,
        /// What it takes.
        range: String,
    },
    /// `--trials-out` with `--point`.
    #[error("--trials-out needs a simulation; it cannot go with --point")]
    TrialsOutWithPoint,
    /// `--trials-out` with several scenarios.
    #[error("--trials-out takes one scenario, {0} were given")]
    TrialsOutScenarios(usize),
    /// `--trials-out` with an extension that is not .parquet or .csv.
    #[error("--trials-out {}: give a file ending in .parquet (Parquet) or .csv (CSV)", .0.display())]
    TrialsOutFormat(PathBuf),
    /// An output path that cannot be written.
    #[error("{flag} {}: {problem}", .path.display())]
    Output {
        /// The option.
        flag: &'static str,
        /// The path as given.
        path: PathBuf,
        /// Why.
        problem: OutputProblem,
    },
    /// An output that would replace an input.
    #[error("{flag} {}: is the {what} {}; writing there would destroy it", .path.display(), .input.display())]
    OutputIsInput {
        /// The option.
        flag: &'static str,
        /// The output as given.
        path: PathBuf,
        /// What the input is ("scenario file").
        what: &'static str,
        /// The input as given.
        input: PathBuf,
    },
    /// Two outputs leading to one file.
    #[error("{} {} and {} {} name the same file; one would overwrite the other", .first.0, .first.1.display(), .second.0, .second.1.display())]
    SameOutput {
        /// One output and its option.
        first: (&'static str, PathBuf),
        /// The other.
        second: (&'static str, PathBuf),
    },
    /// `--case` naming no case.
    #[error("--case {case:?}: {file} has no such stress case (cases: {})", if .cases.is_empty() { "none".to_string() } else { .cases.join(", ") })]
    UnknownCase {
        /// The name given.
        case: String,
        /// The scenario file.
        file: String,
        /// Its cases.
        cases: Vec<String>,
    },
    /// A path and value (`sweep --set`, `solve --lever`) that cannot be applied.
    #[error("{path}{}: {error}", .value.as_ref().map(|v| format!(" = {v}")).unwrap_or_default())]
    Override {
        /// The path.
        path: String,
        /// The value, if one was given.
        value: Option<String>,
        /// Why.
        error: OverrideError,
    },
    /// A run larger than the memory the machine has free.
    #[error(
        "{trials} trials need about {} of memory and this machine {}: use fewer trials",
        crate::fmt::bytes(*needed),
        .available.map_or("could not allocate it".to_string(), |a| format!("has {} available", crate::fmt::bytes(a)))
    )]
    Memory {
        /// Trials asked for.
        trials: String,
        /// Bytes the run needs.
        needed: u64,
        /// Bytes available, when known.
        available: Option<u64>,
    },
}

/// A simulation that met a number it cannot carry on with.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "trial {trial} (seed {seed}): {what} became {value} in month {month}; {input} was {input_value} that month. \
     Narrow that input's distribution, profile or noise"
)]
pub struct NonFinite {
    /// The trial, 0-based.
    pub trial: u64,
    /// The run's seed.
    pub seed: u64,
    /// What went out of range ("revenue").
    pub what: &'static str,
    /// Its value ("inf", "NaN").
    pub value: String,
    /// The month, as labelled.
    pub month: String,
    /// The input most to blame, by path.
    pub input: String,
    /// Its value that month.
    pub input_value: String,
}

/// Everything that can go wrong in a kpisim command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line asks for something impossible (exit 2).
    #[error(transparent)]
    Usage(Box<Usage>),
    /// One or more scenario files are invalid (exit 2).
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Scenario(Vec<ScenarioError>),
    /// The model left finite numbers during a run (exit 2: the scenario's
    /// inputs must be narrowed).
    #[error(transparent)]
    NonFinite(Box<NonFinite>),
    /// Reading or writing a file failed (exit 1).
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// Writing an output failed for another reason (exit 1).
    #[error("{0}")]
    Output(String),
}

impl From<Usage> for Error {
    fn from(u: Usage) -> Self {
        Error::Usage(Box::new(u))
    }
}

impl From<NonFinite> for Error {
    fn from(n: NonFinite) -> Self {
        Error::NonFinite(Box::new(n))
    }
}

impl Error {
    /// The process exit code: 2 for usage and scenario errors, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) | Error::Scenario(_) | Error::NonFinite(_) => 2,
            Error::Io { .. } | Error::Output(_) => 1,
        }
    }

    /// Whether this is a write to a closed pipe (`kpisim run ... | head`),
    /// which ends the program quietly.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// Result with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
