//! What can stop an analysis: a run that cannot go on, a value a scenario
//! does not take, a history that does not read, or a question the scenario
//! cannot answer (a case it does not have, more months held out than a fit
//! can spare). The command line maps each to its exit code.

use crate::engine::EngineError;
use crate::history::HistoryErrors;
use crate::scenario::{OverrideFailure, ScenarioErrors};
use crate::shard_state::PartError;

/// Why an analysis stopped.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// A run cannot go on (too large, non-finite, no threads).
    #[error(transparent)]
    Engine(Box<EngineError>),
    /// A path and value that cannot be applied to the scenario.
    #[error(transparent)]
    Override(Box<OverrideFailure>),
    /// A scenario made by the analysis (a fitted one) that does not load.
    #[error(transparent)]
    Scenario(ScenarioErrors),
    /// A history or actuals file that does not read.
    #[error(transparent)]
    History(HistoryErrors),
    /// Shard states that do not merge into one run.
    #[error(transparent)]
    Part(Box<PartError>),
    /// A stress case the scenario does not have.
    #[error("--case {case:?}: {file} has no such stress case (cases: {})", if .cases.is_empty() { "none".to_string() } else { .cases.join(", ") })]
    UnknownCase {
        /// The name given to `--case`.
        case: String,
        /// The scenario file, as named on the command line.
        file: String,
        /// The names of its `[[stress]]` cases, in file order.
        cases: Vec<String>,
    },
    /// More months held out than a fit can spare.
    #[error(
        "--holdout {holdout}: {file} has {rows} months, and a fit needs at least {min} besides the months held out"
    )]
    Holdout {
        /// Months asked to hold out (`--holdout`).
        holdout: u64,
        /// The history file, as named on the command line.
        file: String,
        /// Its months: one per data row.
        rows: usize,
        /// Fewest months a fit needs: [`crate::history::MIN_ROWS`].
        min: usize,
    },
}

impl From<EngineError> for AnalysisError {
    fn from(e: EngineError) -> Self {
        AnalysisError::Engine(Box::new(e))
    }
}

impl From<OverrideFailure> for AnalysisError {
    fn from(e: OverrideFailure) -> Self {
        AnalysisError::Override(Box::new(e))
    }
}

impl From<ScenarioErrors> for AnalysisError {
    fn from(e: ScenarioErrors) -> Self {
        AnalysisError::Scenario(e)
    }
}

impl From<HistoryErrors> for AnalysisError {
    fn from(e: HistoryErrors) -> Self {
        AnalysisError::History(e)
    }
}

impl From<PartError> for AnalysisError {
    fn from(e: PartError) -> Self {
        AnalysisError::Part(Box::new(e))
    }
}

/// Result with [`AnalysisError`].
pub type Result<T> = std::result::Result<T, AnalysisError>;
