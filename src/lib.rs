//! kpisim: Monte Carlo risk analysis of a live-streaming company's annual
//! KPI plan.
//!
//! Data flows one way, one module a stage, and each names only the modules
//! listed before it (`tests/layering.rs` checks it):
//!
//! - leaves: [`fmt`] (numbers for people), [`streams`] (random streams
//!   named by trial and input path), [`distr`] (distribution families),
//!   [`stats`] (histogram, moments, exact quantiles);
//! - [`scenario`]: TOML -> structure check -> serde types -> validated
//!   [`scenario::Scenario`]; overrides by path;
//! - [`history`]: last year's months and this year's actuals (CSV, read
//!   with polars), the monthly ratios that estimate each input, `fit`'s
//!   estimates and `track`'s update of the plan's inputs;
//! - [`model`]: the compiled [`model::Model`] (plain arrays), its kernel on
//!   blocks of trials, where each monthly quantity is kept
//!   ([`model::SeriesLayout`]), the hit rule, the point plan;
//! - [`engine`]: trials in fixed chunks on rayon, per-chunk statistics
//!   merged in chunk order; a run's chunks split into shards and merged;
//! - [`part`]: a shard's state as a file, checked whole before a merge;
//! - [`aggregate`]: the reports ([`aggregate::Summary`] and the others),
//!   one header each;
//! - [`export`]: table, json, csv, every trial; output files written all or
//!   nothing;
//! - [`error`] gathers each stage's errors and maps exit codes; [`cli`],
//!   [`options`] and [`commands`] wire everything to the command line.
#![deny(missing_docs)]

pub mod present;

pub mod streams;

pub mod distr;
pub mod stats;

pub mod scenario;

pub mod history;

pub mod model;

pub mod engine;

pub mod shard_state;

pub mod aggregate;

pub mod analysis;

pub mod export;

pub mod output;

pub mod error;

pub mod cli;

pub mod options;

pub mod commands;

/// The version recorded in every JSON result.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
