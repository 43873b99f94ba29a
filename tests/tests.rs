//! kpisim's integration tests, one binary: the real CLI driven in
//! temporary directories, statistical checks of the samplers, agreement with
//! the independent reference implementation, pinned values, and the
//! documentation's links. The `//!` comment at the top of each module says
//! what it pins; run them all with `cargo test`, or one module with
//! `cargo test --test integration MODULE` (e.g. `docs`).
//!
//! Unit and property tests (proptest) live beside the code in src/ (the
//! histogram, quantile selection, moment merging, the series layout,
//! overrides, output files and more) and run with the same `cargo test`.

mod additions;
mod analysis;
mod bad_input;
mod bigr;
mod build;
mod cli;
mod decisions;
mod determinism;
mod docs;
mod examples;
mod explain;
mod formats;
mod history;
mod hostile;
mod layering;
mod model;
mod output_safety;
mod reference;
mod regression;
mod report;
mod serve;
mod shard;
mod snapshots;
mod statistical;
mod trials;
mod util;
mod value_stability;
mod xlsx;
