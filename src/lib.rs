//! kpisim: Monte Carlo risk analysis of a live-streaming company's annual
//! KPI plan.
//!
//! # Layers
//!
//! This is the one map of the tree; the docs link here. Data flows one way,
//! one module a stage, and each names only the modules listed before it
//! (`tests/layering.rs` checks it, and that only the command line knows
//! clap):
//!
//! | layer | owns |
//! |---|---|
//! | [`present`] | numbers and text for people: 460.8M, 54.2%, ±0.05 pp, escaped names |
//! | [`streams`] | the random streams, one per trial and input, keyed by seed |
//! | [`distr`] | the distribution families, one file each |
//! | [`stats`] | log-bucket histograms, moments, exact quantiles |
//! | [`scenario`] | the file: its shape ([`scenario::schema`]), serde types, validation, warnings, paths and overrides |
//! | [`history`] | history and actuals CSVs, monthly ratios, fit's estimates, track's update |
//! | [`model`] | the compiled model (plain arrays), its kernel on blocks of trials, the point plan |
//! | [`engine`] | trials in fixed chunks on rayon, merged in chunk order; shards of a run |
//! | [`shard_state`] | a shard's state as a file (a "part"), checked whole before a merge |
//! | [`aggregate`] | what runs add up to: the summary, bands, probabilities, the KPI sheet, stress, sweep, sensitivity, solve, fit and track reports |
//! | [`analysis`] | what a command computes from runs: precision, stress, sweep, sensitivity, solve, fit, track, the risk report, shards; what a library user calls |
//! | [`export`] | how each report is shown ([`export::reports`], one file each): tables, CSV, JSON, workbooks ([`export::xlsx`]), the HTML page ([`export::html`]), every trial as Parquet |
//! | [`output`] | output paths checked before any work, files written whole or not at all |
//! | [`error`] | every stage's errors gathered, and their exit codes |
//! | [`cli`], [`options`] | the command line as typed and validated |
//! | [`serve`] | `kpisim serve`: the page and the JSON API over HTTP, one run at a time |
//! | [`commands`] | each command run: load, options, analysis, render, write |
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

pub mod serve;

pub mod commands;

/// The version recorded in every JSON result.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
