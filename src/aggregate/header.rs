//! The header of every report: where it comes from (the scenario, its
//! file's hash, the version of kpisim), and how it was simulated (trials,
//! seed, sampling, where a precision stopped), so that a result can be
//! traced and rerun.

use std::ops::Deref;

use serde::Serialize;

use crate::engine::Sampling;
use crate::scenario::Loaded;

/// Where a report comes from: the scenario and the version of kpisim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Origin {
    /// The scenario's `name`, as in its file.
    pub scenario: String,
    /// The scenario file as named on the command line.
    pub file: String,
    /// Version of kpisim that made the report.
    pub kpisim: &'static str,
    /// SHA-256 of the scenario file's bytes.
    pub scenario_sha256: String,
}

impl Origin {
    /// The origin of reports on `l` (its scenario, or a variant of it, as
    /// named by `name`).
    pub fn of(l: &Loaded, name: &str) -> Self {
        Origin {
            scenario: name.to_string(),
            file: l.file.clone(),
            kpisim: crate::VERSION,
            scenario_sha256: l.sha256.clone(),
        }
    }
}

/// How a run with `--precision` ended.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Precision {
    /// The target whose probability was watched: `revenue`, `profit` or
    /// `both`.
    pub target: &'static str,
    /// The standard error asked for (`--precision`), a fraction, e.g. 0.001.
    pub asked: f64,
    /// The standard error reached when the run stopped, same unit.
    pub standard_error: f64,
    /// Whether it reached the one asked for before `--trials` ran out.
    pub reached: bool,
}

/// The header of every simulated report: its origin, trials, seed and how
/// inputs were drawn. Flattened into each report's JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    /// Scenario, file, version, hash.
    #[serde(flatten)]
    pub origin: Origin,
    /// Trials (per run, for commands of several runs).
    pub trials: u64,
    /// Seed shared by every run of the report.
    pub seed: u64,
    /// `mc` (plain Monte Carlo) or `lhs` (Latin hypercube).
    pub sampling: &'static str,
    /// With `--precision`, how the run ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<Precision>,
}

impl Header {
    /// The header of a report on `l` with `trials` and `seed`, sampled as
    /// `sampling` says.
    pub fn new(l: &Loaded, trials: u64, seed: u64, sampling: Sampling) -> Self {
        Header {
            origin: Origin::of(l, &l.scenario.name),
            trials,
            seed,
            sampling: match sampling {
                Sampling::MonteCarlo => "mc",
                Sampling::LatinHypercube => "lhs",
            },
            precision: None,
        }
    }
}

impl Deref for Header {
    type Target = Origin;
    fn deref(&self) -> &Origin {
        &self.origin
    }
}
