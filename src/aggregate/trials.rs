//! Every trial of a run, column by column (`--trials-out`): what the engine
//! kept per trial, with the hit bits of the model's rule and the inputs'
//! paths.

use crate::engine::TrialColumns;
use crate::model::{HitRule, Model};

/// Every trial's results.
#[derive(Debug, Clone)]
pub struct TrialTable {
    /// Annual revenue per trial, CNY, in trial order.
    pub revenue: Vec<f64>,
    /// Annual profit per trial, CNY, in trial order.
    pub profit: Vec<f64>,
    /// Hit bits ([`HitRule`]) per trial.
    pub hits: Vec<u8>,
    /// Per input, its path and its level (D, or the mean of its monthly
    /// draws) in each trial.
    pub levels: Vec<(String, Vec<f64>)>,
    /// With `--trials-monthly`: each month's revenue, then each month's
    /// profit, named by [`monthly_column`], in each trial.
    pub monthly: Vec<(String, Vec<f64>)>,
}

/// One column of the trials file's values.
#[derive(Debug, Clone, PartialEq)]
pub enum TrialValues {
    /// The trial's number, from 0.
    Index(Vec<u64>),
    /// A number per trial.
    Number(Vec<f64>),
    /// Whether each trial reached a target.
    Hit(Vec<bool>),
}

impl TrialValues {
    /// Number of trials.
    pub fn len(&self) -> usize {
        match self {
            TrialValues::Index(v) => v.len(),
            TrialValues::Number(v) => v.len(),
            TrialValues::Hit(v) => v.len(),
        }
    }

    /// Whether it holds no trial.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The name of the per-trial column of `what` (`revenue` or `profit`) in
/// month `m` (1-based): `revenue_m01`. No dots, so that SQL needs no
/// quotes.
pub fn monthly_column(what: &str, m: usize) -> String {
    format!("{what}_m{m:02}")
}

impl TrialTable {
    /// The table of the trials in `columns`, a run of `model`.
    pub fn new(model: &Model, columns: TrialColumns) -> Self {
        let rule: HitRule = model.hit_rule();
        let hits = columns
            .revenue
            .iter()
            .zip(&columns.profit)
            .map(|(r, p)| rule.bits(*r, *p))
            .collect();
        let months = model.months();
        let monthly = columns
            .monthly
            .into_iter()
            .enumerate()
            .map(|(k, col)| {
                let name = if k < months {
                    monthly_column("revenue", k + 1)
                } else {
                    monthly_column("profit", k - months + 1)
                };
                (name, col)
            })
            .collect();
        TrialTable {
            hits,
            monthly,
            levels: model
                .input_names()
                .iter()
                .cloned()
                .zip(columns.levels)
                .collect(),
            revenue: columns.revenue,
            profit: columns.profit,
        }
    }

    /// Its columns in the file's order (docs/output.md): `trial`,
    /// `revenue`, `profit`, `hit_revenue`, `hit_profit`, `hit_both`, each
    /// input's level by its path, then the months'. The one list that the
    /// trials file and the Python package's table both follow.
    pub fn into_columns(self) -> Vec<(String, TrialValues)> {
        let TrialTable {
            revenue,
            profit,
            hits,
            levels,
            monthly,
        } = self;
        let hit = |name: &str, bit: u8| {
            let values = hits.iter().map(|h| h & bit != 0).collect();
            (name.to_string(), TrialValues::Hit(values))
        };
        let mut out = vec![
            (
                "trial".to_string(),
                TrialValues::Index((0..revenue.len() as u64).collect()),
            ),
            ("revenue".into(), TrialValues::Number(revenue)),
            ("profit".into(), TrialValues::Number(profit)),
            hit("hit_revenue", HitRule::REVENUE),
            hit("hit_profit", HitRule::PROFIT),
            hit("hit_both", HitRule::BOTH),
        ];
        out.extend(
            levels
                .into_iter()
                .chain(monthly)
                .map(|(name, v)| (name, TrialValues::Number(v))),
        );
        out
    }
}
