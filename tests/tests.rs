//! kpisim's integration tests, one binary: the real CLI driven in
//! temporary directories, statistical checks of the samplers, agreement with
//! the independent reference implementation, and pinned values.

mod analysis;
mod bad_input;
mod bigr;
mod cli;
mod determinism;
mod formats;
mod history;
mod hostile;
mod layering;
mod model;
mod output_safety;
mod reference;
mod regression;
mod report;
mod shard;
mod snapshots;
mod statistical;
mod util;
mod value_stability;
mod xlsx;
