//! kpisim: Monte Carlo risk analysis of a live-streaming company's annual
//! KPI plan.
//!
//! Data flows one way, one module a stage:
//! [`scenario`] (TOML -> serde types -> validated [`scenario::Scenario`]) ->
//! [`model`] (a compiled, index-based [`model::Model`] and its one-trial
//! recursion) -> [`engine`] (trials in fixed chunks on rayon, one RNG stream a
//! chunk) -> [`aggregate`] (mergeable per-chunk summaries, the
//! [`aggregate::Summary`]) -> [`export`] (table, json, csv, parquet).
//! [`cli`], [`options`] and [`commands`] wire them to the command line.
#![deny(missing_docs)]

pub mod aggregate;
pub mod cli;
pub mod commands;
pub mod distr;
pub mod engine;
pub mod error;
pub mod export;
pub mod fmt;
pub mod model;
pub mod options;
pub mod scenario;
pub mod stats;
pub mod streams;

/// The version recorded in every JSON result.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
