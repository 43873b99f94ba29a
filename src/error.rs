//! The errors of a kpisim command and their exit codes.
//!
//! Each stage has its own error type ([`ScenarioErrors`],
//! [`OverrideFailure`], [`EngineError`], [`ExportError`], [`OutputError`]); this module
//! gathers them for the commands, adds what only the command line can get
//! wrong ([`Usage`]), and maps all of them to the exit codes in one place
//! ([`Error::exit_code`]): 2 for what the user can fix in the command or the
//! scenario, 1 for what went wrong around it (a disk, a closed output).

pub use crate::analysis::AnalysisError;
pub use crate::engine::EngineError;
pub use crate::export::ExportError;
pub use crate::history::HistoryErrors;
pub use crate::model::NonFinite;
pub use crate::output::{OutputError, OutputProblem};
pub use crate::scenario::{
    OverrideError, OverrideFailure, ScenarioError, ScenarioErrorKind, ScenarioErrors,
};
pub use crate::shard_state::PartError;

use std::path::PathBuf;

/// A command line that asks for something impossible (exit 2). Each
/// variant's message says what is wrong and what would be right.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Usage {
    /// An option's value out of its range.
    #[error("{flag} {value}: must be {range}")]
    Range {
        /// The option, e.g. `--confidence`.
        flag: &'static str,
        /// Its value as given.
        value: String,
        /// What it takes, in words: "a fraction between 0 and 1, e.g. 0.8".
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
    /// `--precision` with `--sampling lhs`.
    #[error(
        "--precision stops a run part-way, and a Latin hypercube needs its replicates whole: give one or the other"
    )]
    PrecisionWithLhs,
    /// A workbook asked for on standard output.
    #[error(
        "--format xlsx writes a workbook, which does not go to standard output: give --output FILE.xlsx"
    )]
    WorkbookOnStdout,
    /// A format asked of a command whose report has none.
    #[error("{what} has no {format}; give --format {offered}")]
    NoFormat {
        /// The command, as its report names it (`fit`, `run --point`).
        what: &'static str,
        /// The format asked for, as a person calls it (`workbook`).
        format: &'static str,
        /// The formats it has, as a list for the message ("table, json or
        /// csv").
        offered: String,
    },
    /// `--date` of a command whose report has no workbook (its help does
    /// not offer it).
    #[error("--date dates a workbook, and {0} writes none")]
    NoDate(&'static str),
    /// `--shard` with an option that asks for a report or a stop.
    #[error(
        "--shard writes only the shard's state to --state-out (`kpisim merge` prints the report); it cannot go with {0}"
    )]
    ShardWith(&'static str),
    /// `--shard` with several scenarios.
    #[error("--shard takes one scenario, {0} were given: shard each scenario's run on its own")]
    ShardScenarios(usize),
}

/// Everything that can go wrong in a kpisim command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line asks for something impossible (exit 2).
    #[error(transparent)]
    Usage(Box<Usage>),
    /// One or more scenario files are invalid (exit 2).
    #[error(transparent)]
    Scenario(ScenarioErrors),
    /// A history or actuals file is invalid (exit 2).
    #[error(transparent)]
    History(HistoryErrors),
    /// A path and value given on the command line cannot be applied (exit 2).
    #[error(transparent)]
    Override(Box<OverrideFailure>),
    /// A run cannot go on: too large for the memory (exit 2), left finite
    /// numbers (exit 2: the scenario's inputs must be narrowed), or its
    /// threads did not start (exit 1).
    #[error(transparent)]
    Engine(Box<EngineError>),
    /// Shard states that cannot be read or merged (exit 2).
    #[error(transparent)]
    Part(Box<PartError>),
    /// A question the scenario cannot answer: a stress case it does not
    /// have, more months held out than a fit can spare (exit 2).
    #[error(transparent)]
    Question(Box<AnalysisError>),
    /// A report that could not be rendered (exit 1).
    #[error(transparent)]
    Export(Box<ExportError>),
    /// An output refused before any work (exit 2) or failing (exit 1).
    #[error(transparent)]
    Output(Box<OutputError>),
    /// Anything else around the run (exit 1).
    #[error("{0}")]
    Other(String),
}

impl From<Usage> for Error {
    fn from(u: Usage) -> Self {
        Error::Usage(Box::new(u))
    }
}

impl From<ScenarioErrors> for Error {
    fn from(e: ScenarioErrors) -> Self {
        Error::Scenario(e)
    }
}

impl From<HistoryErrors> for Error {
    fn from(e: HistoryErrors) -> Self {
        Error::History(e)
    }
}

impl From<OverrideFailure> for Error {
    fn from(e: OverrideFailure) -> Self {
        Error::Override(Box::new(e))
    }
}

impl From<EngineError> for Error {
    fn from(e: EngineError) -> Self {
        Error::Engine(Box::new(e))
    }
}

impl From<PartError> for Error {
    fn from(e: PartError) -> Self {
        Error::Part(Box::new(e))
    }
}

impl From<ExportError> for Error {
    fn from(e: ExportError) -> Self {
        Error::Export(Box::new(e))
    }
}

impl From<AnalysisError> for Error {
    fn from(e: AnalysisError) -> Self {
        match e {
            AnalysisError::Engine(e) => Error::Engine(e),
            AnalysisError::Override(e) => Error::Override(e),
            AnalysisError::Scenario(e) => Error::Scenario(e),
            AnalysisError::History(e) => Error::History(e),
            AnalysisError::Part(e) => Error::Part(e),
            question => Error::Question(Box::new(question)),
        }
    }
}

impl From<OutputError> for Error {
    fn from(e: OutputError) -> Self {
        Error::Output(Box::new(e))
    }
}

impl Error {
    /// The process exit code: 2 for what the user can fix in the command or
    /// the scenario, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_)
            | Error::Scenario(_)
            | Error::History(_)
            | Error::Override(_)
            | Error::Part(_)
            | Error::Question(_) => 2,
            Error::Engine(e) => match **e {
                EngineError::Memory { .. } | EngineError::NonFinite(_) => 2,
                EngineError::Threads(_) => 1,
            },
            Error::Output(e) if e.is_refusal() => 2,
            Error::Export(_) | Error::Output(_) | Error::Other(_) => 1,
        }
    }

    /// Whether this is a write to a closed pipe (`kpisim run ... | head`),
    /// which ends the program quietly.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.is_broken_pipe())
    }
}

/// Result with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
