//! Error types and their exit codes.
//!
//! The library returns these; `main` prints them, one plain line each, and
//! maps them to the exit codes of CONTRACT.md §2 in one place
//! ([`Error::exit_code`]).

use std::fmt;
use std::path::PathBuf;

/// One problem with a scenario file: where it is, which field, which value,
/// and the rule it breaks.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    /// The scenario file as named on the command line.
    pub file: String,
    /// 1-based line and column of the field, where the TOML gives them.
    pub position: Option<(usize, usize)>,
    /// The field's path, e.g. `segments[0].retention.sd` (empty for the
    /// whole file).
    pub path: String,
    /// The offending value as written, if there is one.
    pub value: Option<String>,
    /// The rule broken, and where useful how to mend it.
    pub rule: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": ")?;
        if !self.path.is_empty() {
            write!(f, "{}", self.path)?;
            if let Some(v) = &self.value {
                write!(f, " = {v}")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.rule)
    }
}

/// Everything that can go wrong in a kpisim command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line asks for something impossible (exit 2).
    #[error("{0}")]
    Usage(String),
    /// One or more scenario files are invalid (exit 2).
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Scenario(Vec<ScenarioError>),
    /// Reading or writing a file failed (exit 1).
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// Writing an output format failed for another reason (exit 1).
    #[error("{0}")]
    Output(String),
}

impl Error {
    /// The process exit code: 2 for usage and scenario errors, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) | Error::Scenario(_) => 2,
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
