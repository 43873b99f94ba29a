//! The header of every report: where it comes from (the scenario, its
//! file's hash, the version of kpisim), and how it was simulated (trials,
//! seed, sampling, where a precision stopped), so that a result can be
//! traced and rerun.

use std::ops::Deref;

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use crate::engine::Sampling;
use crate::scenario::Loaded;

/// Where a report comes from: the scenario and the version of kpisim.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    /// The scenario's `name`, as in its file.
    pub scenario: String,
    /// The scenario file as named on the command line
    /// ([`crate::scenario::TEXT_FILE`] for a scenario given as text).
    pub file: String,
    /// The scenario was given as text: there is no file to name, and the
    /// JSON says `"file": null`.
    pub from_text: bool,
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
            from_text: l.from_text,
            kpisim: crate::VERSION,
            scenario_sha256: l.sha256.clone(),
        }
    }
}

// By hand rather than derived: `file` is null for a scenario given as text,
// which derive cannot say from another field; the keys and their order are
// the derived ones.
impl Serialize for Origin {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut o = s.serialize_struct("Origin", 4)?;
        o.serialize_field("scenario", &self.scenario)?;
        o.serialize_field("file", &(!self.from_text).then_some(&self.file))?;
        o.serialize_field("kpisim", &self.kpisim)?;
        o.serialize_field("scenario_sha256", &self.scenario_sha256)?;
        o.end()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{TEXT_FILE, from_bytes, from_text};

    const TEXT: &str = r#"
name = "tiny"
months = 1
[targets]
revenue = 1
profit = 0
[costs]
creator_share = 0.65
operations_rate = 0.05
staff = 0
infra = 0
[marketing]
budget = 60_000
[acquisition]
cost_per_registration = 6.0
first_charge_rate = 0.02
[[segments]]
name = "all"
start_payers = 1000
share_of_new = 1.0
retention = 0.5
arpu = 800
"#;

    #[test]
    fn a_scenario_given_as_text_names_no_file_and_hashes_the_text() {
        let text = from_text(TEXT).unwrap();
        let file = from_bytes("tiny.toml", TEXT.as_bytes()).unwrap();
        let json =
            |l: &Loaded| serde_json::to_value(Header::new(l, 10, 7, Sampling::MonteCarlo)).unwrap();
        let (t, f) = (json(&text), json(&file));
        assert_eq!(t["file"], serde_json::Value::Null);
        assert_eq!(f["file"], "tiny.toml");
        assert_eq!(t["scenario_sha256"], f["scenario_sha256"]);
        use sha2::Digest;
        let digest: String = sha2::Sha256::digest(TEXT.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(t["scenario_sha256"], digest.as_str());
        let keys: Vec<&String> = t.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "scenario",
                "file",
                "kpisim",
                "scenario_sha256",
                "trials",
                "seed",
                "sampling"
            ]
        );
        let err = from_text(&TEXT.replace("retention = 0.5", "retention = 1.5")).unwrap_err();
        assert!(
            err.to_string().starts_with(&format!("{TEXT_FILE}:")),
            "{err}"
        );
    }
}
