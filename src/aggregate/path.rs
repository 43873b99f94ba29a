//! The path to a target: the month-by-month mean of the simulated years
//! that end near it. A department that meets every month of a path reaches
//! the year's target, which each month's own quantile does not promise:
//! quantiles do not add up, means do. The path's monthly revenues sum to
//! its annual revenue, and each month's revenue is its payers times its
//! ARPU.

use serde::Serialize;

use super::targets::Pair;
use crate::engine::Traced;
use crate::model::Model;

/// How near a year must end to a target to be on its path: within 0.5% of
/// the target (relative to its size).
pub const WINDOW: f64 = 0.005;

/// Fewest years a path is the mean of: with fewer within [`WINDOW`], the
/// nearest this many.
pub const FEWEST: usize = 1000;

/// How far, relative to a target, the years of its path may end and still
/// be said to end near it. Farther, the path is that of the years nearest
/// a target none comes near (far in a tail, or beyond every year
/// simulated), and is said to be so, in CNY.
pub const NEAR: f64 = 0.05;

/// One month of a path: means over the path's years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathMonth {
    /// Month, 1-based.
    pub month: usize,
    /// `YYYY-MM` when the scenario has a `start`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Marketing spend that month, CNY: the budget.
    pub spend: f64,
    /// Mean registrations that month.
    pub registrations: f64,
    /// Mean new payers that month.
    pub new_payers: f64,
    /// Mean old payers kept that month.
    pub old_payers: f64,
    /// Mean payers that month.
    pub payers: f64,
    /// Mean revenue / mean payers, CNY a payer: so that revenue = payers ×
    /// ARPU holds on the path.
    pub arpu: f64,
    /// Mean revenue that month, CNY.
    pub revenue: f64,
    /// Mean profit that month, CNY: margin × revenue − costs.
    pub profit: f64,
    /// With several segments, each one's mean payers and revenue, by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<SegmentPath>,
}

/// A segment's month on a path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentPath {
    /// The segment's name.
    pub name: String,
    /// Its mean payers that month.
    pub payers: f64,
    /// Its mean revenue that month, CNY.
    pub revenue: f64,
}

/// The path to one target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetPath {
    /// The target, CNY (the JSON has it in `targets`).
    #[serde(skip)]
    pub target: f64,
    /// How many simulated years it is the mean of.
    pub trials: u64,
    /// How near their annual value is to the target, as a fraction of the
    /// target: [`WINDOW`], or the farthest of the [`FEWEST`] nearest;
    /// `None` (`null`) for a target of 0, of which no distance is a
    /// fraction (`lowest` and `highest` say how near they are).
    pub window: Option<f64>,
    /// The lowest annual value of its years (revenue for the revenue
    /// target, profit for the profit target), CNY.
    pub lowest: f64,
    /// The highest annual value of its years, CNY.
    pub highest: f64,
    /// Their mean annual revenue and profit, CNY: the sums of the months.
    pub annual: Pair<f64>,
    /// Month by month.
    pub monthly: Vec<PathMonth>,
}

/// Where the years of a path end against its target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ends {
    /// Within `window` of it, a fraction of the target at most [`NEAR`].
    Near {
        /// [`WINDOW`], or the farthest of the nearest.
        window: f64,
    },
    /// Below it, CNY.
    Short {
        /// How far below it the highest year ends.
        nearest: f64,
        /// How far below it the lowest year ends.
        farthest: f64,
        /// Whether even the nearest ends farther than [`NEAR`] of it: no
        /// simulated year comes near it.
        far: bool,
    },
    /// Above it, CNY.
    Over {
        /// How far above it the lowest year ends.
        nearest: f64,
        /// How far above it the highest year ends.
        farthest: f64,
        /// Whether even the nearest ends farther than [`NEAR`] of it.
        far: bool,
    },
    /// On both sides of it, CNY.
    Around {
        /// How far below it the lowest year ends.
        below: f64,
        /// How far above it the highest year ends.
        above: f64,
    },
}

impl TargetPath {
    /// Where its years end against its target: within [`NEAR`] of it, or
    /// else how far, in CNY, and whether none comes near it.
    pub fn ends(&self) -> Ends {
        if let Some(window) = self.window.filter(|w| *w <= NEAR) {
            return Ends::Near { window };
        }
        let t = self.target;
        // Near a target of 0 is no fraction of it: how far its years end
        // is said, not judged.
        let far = |nearest: f64| t != 0.0 && nearest > NEAR * t.abs();
        if self.highest < t {
            let nearest = t - self.highest;
            Ends::Short {
                nearest,
                farthest: t - self.lowest,
                far: far(nearest),
            }
        } else if self.lowest > t {
            let nearest = self.lowest - t;
            Ends::Over {
                nearest,
                farthest: self.highest - t,
                far: far(nearest),
            }
        } else {
            Ends::Around {
                below: t - self.lowest,
                above: self.highest - t,
            }
        }
    }

    /// The path to `target` of the years `traced` sums, of `model`, within
    /// `window`; `metric` is 0 for the revenue target and 1 for the profit
    /// target, as [`Traced::lowest`] counts them; `labels` name the months
    /// when the scenario has a start.
    pub fn new(
        traced: &Traced,
        (target, metric): (f64, usize),
        window: Option<f64>,
        model: &Model,
        labels: Option<&Vec<String>>,
    ) -> TargetPath {
        let n = traced.trials.max(1) as f64;
        let names = model.segment_names();
        let monthly = traced
            .monthly
            .iter()
            .enumerate()
            .map(|(m, sums)| {
                let [registrations, new_payers, old_payers, payers, revenue] = sums.map(|x| x / n);
                PathMonth {
                    month: m + 1,
                    label: labels.map(|l| l[m].clone()),
                    spend: model.budget()[m],
                    registrations,
                    new_payers,
                    old_payers,
                    payers,
                    arpu: if payers > 0.0 { revenue / payers } else { 0.0 },
                    revenue,
                    profit: model.profit(m, revenue, payers),
                    segments: if names.len() > 1 {
                        names
                            .iter()
                            .zip(&traced.segments)
                            .map(|(name, seg)| SegmentPath {
                                name: name.clone(),
                                payers: seg[m][0] / n,
                                revenue: seg[m][1] / n,
                            })
                            .collect()
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect();
        TargetPath {
            target,
            trials: traced.trials,
            window,
            lowest: traced.lowest[metric],
            highest: traced.highest[metric],
            annual: Pair {
                revenue: traced.annual[0] / n,
                profit: traced.annual[1] / n,
            },
            monthly,
        }
    }
}

/// The path to each target; `null` each when the run has fewer than
/// [`FEWEST`] years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathToTarget {
    /// The path to the revenue target.
    pub revenue: Option<TargetPath>,
    /// The path to the profit target.
    pub profit: Option<TargetPath>,
}
