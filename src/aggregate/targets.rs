//! Values per target: the probability of reaching each annual target (and
//! both in one year) with its Monte Carlo standard error, and revenue and
//! profit as a pair.

use serde::Serialize;

use crate::engine::Output;
use crate::scenario::Targets;

/// A value per target: revenue, profit, both.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Probabilities {
    /// For the annual revenue target (a probability 0..1, or its standard
    /// error or change, as the holding field says).
    pub revenue: f64,
    /// For the annual profit target, likewise.
    pub profit: f64,
    /// For both targets hit in the same trial, likewise.
    pub both: f64,
}

impl Probabilities {
    /// Hit shares from hit counts out of `n` trials.
    pub fn from_hits(hits: [u64; 3], n: u64) -> Self {
        let p = |h: u64| h as f64 / n.max(1) as f64;
        Probabilities {
            revenue: p(hits[0]),
            profit: p(hits[1]),
            both: p(hits[2]),
        }
    }

    /// Monte Carlo standard errors sqrt(p (1 - p) / n) of these shares.
    pub fn standard_errors(&self, n: u64) -> Self {
        self.map(|p| (p * (1.0 - p) / n.max(1) as f64).sqrt())
    }

    /// Each value through `f`.
    pub fn map(&self, f: impl Fn(f64) -> f64) -> Self {
        Probabilities {
            revenue: f(self.revenue),
            profit: f(self.profit),
            both: f(self.both),
        }
    }

    /// The three values, in the order revenue, profit, both.
    pub fn values(&self) -> [f64; 3] {
        [self.revenue, self.profit, self.both]
    }

    /// The value for `target` (`revenue`, `profit` or `both`).
    pub fn get(&self, target: crate::model::Target) -> f64 {
        self.values()[target.index()]
    }
}

/// The probability of each target in `out`, and its standard error:
/// `sqrt(p (1 - p) / n)` for plain Monte Carlo; for a Latin hypercube, the
/// sample sd of the replicates' probabilities over the square root of their
/// number.
pub fn probabilities(out: &Output) -> (Probabilities, Probabilities) {
    let p = Probabilities::from_hits(out.hits, out.trials);
    let se = match &out.replicates {
        None => p.standard_errors(out.trials),
        Some(reps) => {
            let each: Vec<Probabilities> = reps
                .iter()
                .map(|(n, hits)| Probabilities::from_hits(*hits, *n))
                .collect();
            let k = each.len() as f64;
            let spread = |f: fn(&Probabilities) -> f64| {
                let mean = each.iter().map(f).sum::<f64>() / k;
                let var = each.iter().map(|x| (f(x) - mean).powi(2)).sum::<f64>() / (k - 1.0);
                (var / k).sqrt()
            };
            Probabilities {
                revenue: spread(|x| x.revenue),
                profit: spread(|x| x.profit),
                both: spread(|x| x.both),
            }
        }
    };
    (p, se)
}

/// Annual revenue and profit, one value each.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Pair<T> {
    /// Revenue's: an amount in CNY, its bands or its histogram, as the
    /// holding field says.
    pub revenue: T,
    /// Profit's, likewise.
    pub profit: T,
}

impl From<Targets> for Pair<f64> {
    fn from(t: Targets) -> Self {
        Pair {
            revenue: t.revenue,
            profit: t.profit,
        }
    }
}
