//! Valid values that are almost surely slips: a percentage written where a
//! fraction belongs. They are not refused (a planner may mean them), but
//! each gets a warning naming the field and the likely intent, and the
//! command goes on. The thresholds, one constant each, are documented in
//! docs/scenario.md ("Warnings").

use super::super::raw::{RawInput, RawScenario};
use super::super::spans::FieldPath;
use super::super::{Slip, paths};

/// A monthly noise with a coefficient of variation above this (100%) swings
/// a month by more than its own level: `noise_cv = 8` meant 8%.
pub const NOISE_CV_SLIP: f64 = 1.0;

/// A stress case's multiplier at or above this (tenfold) is no stress
/// test: `scale = 75` meant 0.75.
pub const SCALE_SLIP: f64 = 10.0;

/// Every slip in a scenario that validates: each with its field, the value
/// as written and what it likely meant.
pub(crate) fn slips(raw: &RawScenario, table: &toml::Table) -> Vec<(FieldPath, String, Slip)> {
    let mut out = Vec::new();
    let root = FieldPath::default();
    let acq = root.key("acquisition");
    let mut inputs = vec![
        (
            acq.key("cost_per_registration"),
            &raw.acquisition.cost_per_registration,
        ),
        (
            acq.key("first_charge_rate"),
            &raw.acquisition.first_charge_rate,
        ),
    ];
    for (i, s) in raw.segments.iter().enumerate() {
        let p = root.key("segments").index(i);
        inputs.push((p.key("retention"), &s.retention));
        inputs.push((p.key("arpu"), &s.arpu));
    }
    for (path, input) in inputs {
        if let RawInput::Dist(d) = input
            && let Some(cv) = d.noise_cv.filter(|cv| *cv > NOISE_CV_SLIP)
        {
            out.push((
                path.key("noise_cv"),
                crate::present::num(cv),
                Slip::NoiseCv {
                    cv,
                    meant: crate::present::tidy(cv / 100.0),
                },
            ));
        }
    }
    let cases = table.get("stress").and_then(toml::Value::as_array);
    for (i, case) in cases.into_iter().flatten().enumerate() {
        let scale = case.get("scale").and_then(toml::Value::as_table);
        for (path, value) in scale.into_iter().flatten() {
            let Some(factor) = paths::as_number(value).filter(|f| *f >= SCALE_SLIP) else {
                continue;
            };
            out.push((
                root.key("stress").index(i).key("scale").key(path),
                crate::present::num(factor),
                Slip::ScaleFactor {
                    factor,
                    meant: (factor <= 100.0).then(|| crate::present::tidy(factor / 100.0)),
                },
            ));
        }
    }
    out
}
