//! `kpisim solve`: the value of one lever that brings a target's
//! probability to a chosen confidence, found on common random numbers.

use serde::Serialize;

use super::{Header, KpiMonth, Pair, PathToTarget};

/// A value tried and the probability it gave.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tried {
    /// The lever's value: a multiplier (1 = as written) when the lever
    /// takes multipliers, else the field's own value.
    pub value: f64,
    /// Share 0..1 of trials hitting the target with that value.
    pub probability: f64,
}

/// The result of `kpisim solve` (docs/output.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SolveReport {
    /// Scenario, file, version, hash, trials a run, seed.
    #[serde(flatten)]
    pub header: Header,
    /// The lever's dotted path (`--lever`).
    pub lever: String,
    /// Whether the lever takes multipliers (a schedule or a whole input)
    /// rather than values.
    pub multiplier: bool,
    /// `revenue`, `profit` or `both`.
    pub target: &'static str,
    /// The probability asked for (`--confidence`), 0..1.
    pub confidence: f64,
    /// Lowest and highest value searched, in the terms of `value`: `--min`
    /// and `--max`, by default 0.5 to 2 for a multiplier, else half to 1.5
    /// times the value as written, drawn in to the scenario's rules.
    pub range: [f64; 2],
    /// Whether some value in the range reaches the confidence.
    pub feasible: bool,
    /// Whether every value tried reaches it: the target is met across the
    /// whole range, and `value` is the one that only just does.
    pub reached_throughout: bool,
    /// Whether the probability differs between the values tried: on the
    /// same draws, a lever with no effect on the target gives every value
    /// the same probability.
    pub lever_moves: bool,
    /// The value that does, where the probability crosses the confidence
    /// (the first value at or above it, to the search's resolution); `null`
    /// when none does.
    pub value: Option<f64>,
    /// The probability at `value`, or at `best` when infeasible.
    pub probability: f64,
    /// Its Monte Carlo standard error.
    pub standard_error: f64,
    /// The highest probability found and where.
    pub best: Tried,
    /// The point plan's annual revenue and profit at `value`, or at `best`.
    pub point: Pair<f64>,
    /// Every value tried, in the order tried.
    pub tried: Vec<Tried>,
    /// The confidence of the department sheet (`--monthly`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_confidence: Option<f64>,
    /// With `--monthly`, the department KPI sheet of the solved plan (or of
    /// `best`), each metric with the value it reaches with the confidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly: Option<Vec<KpiMonth>>,
    /// With `--monthly`, the solved plan's path to each target: the
    /// monthly numbers that add up to the year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_to_target: Option<PathToTarget>,
}
