//! What a command computes from runs, apart from how it is asked for and
//! how it is shown: the simulations a question needs (all trials, or until
//! a precision is reached), stress cases and sweeps on common random
//! numbers, the sensitivity's held inputs, the solver's search, the fit and
//! its backtest, the year tracked from its actuals, the risk report's runs,
//! and shards. Each function takes a loaded scenario and a [`Sim`] and
//! returns a report of `aggregate`; the command line and the Python
//! package call these, never each other.

mod error;
mod explain;
mod fit;
mod kpis;
mod risk;
mod sensitivity;
mod shard;
mod simulate;
mod solve;
mod stress;
mod sweep;
mod track;

pub use error::{AnalysisError, Result};
pub use explain::{explain_report, explain_table};
pub use fit::{Fitted, fit};
pub use kpis::{kpi_report, kpi_report_of};
pub use risk::{risk_report, risk_runs};
pub use sensitivity::sensitivity_report;
pub use shard::{merge, shard};
pub use simulate::{
    CHECKPOINT, Sim, Simulated, path_to_target, simulate, simulate_model, simulate_scenario,
    summarise,
};
pub use solve::{BISECTIONS, GRID, Question, solve_report};
pub use stress::stress_report;
pub use sweep::{sweep_levels, sweep_report};
pub use track::track_report;
