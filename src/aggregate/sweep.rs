//! `kpisim sweep`: probabilities as one input moves, and where they cross a
//! level.

use serde::Serialize;

use super::{Header, Probabilities};

/// One step of a sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepPoint {
    /// The value given to the path.
    pub value: f64,
    /// Share of trials hitting each target.
    pub probability: Probabilities,
    /// Monte Carlo standard errors.
    pub standard_error: Probabilities,
}

/// Where a probability crosses a level (docs/output.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crossing {
    /// `revenue`, `profit` or `both`.
    pub target: &'static str,
    /// The level, a fraction.
    pub level: f64,
    /// The interpolated value where it is first crossed; `null` if it never
    /// is inside the range.
    pub value: Option<f64>,
}

/// The result of `kpisim sweep`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepReport {
    /// Scenario, file, version, hash, trials a step, seed.
    #[serde(flatten)]
    pub header: Header,
    /// The dotted path swept (`--set`).
    pub path: String,
    /// Each step, in order.
    pub points: Vec<SweepPoint>,
    /// Crossings of each target at each level.
    pub crossings: Vec<Crossing>,
}

/// The first value where `p(value)` crosses `level`, interpolated linearly
/// between the two steps around it; `None` if it never reaches it.
pub fn crossing(points: &[(f64, f64)], level: f64) -> Option<f64> {
    if let Some(&(v, _)) = points.iter().find(|(_, p)| *p == level) {
        return Some(v);
    }
    points.windows(2).find_map(|w| {
        let ((v0, p0), (v1, p1)) = (w[0], w[1]);
        ((p0 - level) * (p1 - level) < 0.0).then(|| v0 + (level - p0) / (p1 - p0) * (v1 - v0))
    })
}

/// Crossings of every target at every level.
pub fn crossings(points: &[SweepPoint], levels: &[f64]) -> Vec<Crossing> {
    let mut out = Vec::new();
    for &level in levels {
        for (target, get) in [
            (
                "both",
                (|p: &Probabilities| p.both) as fn(&Probabilities) -> f64,
            ),
            ("revenue", |p| p.revenue),
            ("profit", |p| p.profit),
        ] {
            let series: Vec<(f64, f64)> = points
                .iter()
                .map(|s| (s.value, get(&s.probability)))
                .collect();
            out.push(Crossing {
                target,
                level,
                value: crossing(&series, level),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossings_are_interpolated_or_absent() {
        let pts = [(0.0, 0.2), (1.0, 0.4), (2.0, 0.6), (3.0, 0.9)];
        assert_eq!(crossing(&pts, 0.5), Some(1.5));
        assert!((crossing(&pts, 0.8).unwrap() - (2.0 + 2.0 / 3.0)).abs() < 1e-12);
        assert_eq!(crossing(&pts, 0.4), Some(1.0));
        assert_eq!(crossing(&pts, 0.95), None);
        // Falling probabilities cross too.
        let down = [(0.0, 0.9), (1.0, 0.3)];
        assert!((crossing(&down, 0.5).unwrap() - 2.0 / 3.0).abs() < 1e-12);
    }
}
