//! Why a run cannot go on.

use crate::model::NonFinite;

/// Why a run cannot go on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EngineError {
    /// More memory than the machine has available.
    #[error(
        "{} trials need about {} of memory and this machine {}: use fewer trials",
        crate::present::thousands(*trials),
        crate::present::bytes(*needed),
        .available.map_or("could not allocate it".to_string(), |a| format!("has {} available", crate::present::bytes(a)))
    )]
    Memory {
        /// Trials asked for.
        trials: u64,
        /// Bytes the run needs, roughly ([`super::memory_needed`]).
        needed: u64,
        /// The memory limit in bytes, when known; `None` when an allocation
        /// failed instead.
        available: Option<u64>,
    },
    /// The model left finite numbers.
    #[error(transparent)]
    NonFinite(Box<NonFinite>),
    /// The worker threads could not start.
    #[error("cannot start the worker threads: {0}")]
    Threads(String),
}
