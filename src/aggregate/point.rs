//! The point plan as reported (`kpisim run --point`).

use serde::Serialize;

use super::{Origin, Pair};
use crate::model::{Model, PointPlan};
use crate::scenario::Loaded;

/// The point plan of one scenario, as reported.
#[derive(Debug, Clone, Serialize)]
pub struct PointReport {
    /// Scenario, file, version, hash.
    #[serde(flatten)]
    pub origin: Origin,
    /// Horizon in months.
    pub months: usize,
    /// Month labels, when the scenario has a `start`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<String>>,
    /// The scenario's annual revenue and profit targets, CNY.
    pub targets: Pair<f64>,
    /// The point plan (every input at its mean): months, segments and
    /// annual sums.
    #[serde(flatten)]
    pub plan: PointPlan,
}

impl PointReport {
    /// The point plan of `l`.
    pub fn new(l: &Loaded) -> Self {
        PointReport {
            origin: Origin::of(l, &l.scenario.name),
            months: l.scenario.months,
            labels: l.scenario.labels(),
            targets: l.scenario.targets.into(),
            plan: Model::compile(&l.scenario).point_plan(),
        }
    }
}
