//! What a series of monthly ratios says about an uncertain input: its level
//! and how sure we are of it, and how much it moves from month to month.
//!
//! With n monthly ratios r_1..r_n of mean r̄ and sample sd s (n - 1 in the
//! denominator), the model `r_t = D × noise_t` (noise of mean 1) reads:
//!
//! - the level D is r̄, known to within its standard error s / √n: that is
//!   the sd of D's distribution (one draw a trial);
//! - the month-to-month scatter s / r̄ is the noise's coefficient of
//!   variation, `noise_cv`.

use serde::Serialize;

/// The estimate from one series of ratios.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// Months used: the number of ratios n.
    pub n: usize,
    /// Mean ratio r̄.
    pub mean: f64,
    /// Sample sd s of the ratios (0 with one month).
    pub scatter: f64,
}

impl Estimate {
    /// The estimate from `values`; `None` when there are none.
    pub fn of(values: &[f64]) -> Option<Estimate> {
        let n = values.len();
        if n == 0 {
            return None;
        }
        let (lo, hi) = values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(*v), b.max(*v))
            });
        // Ratios that differ only in their last bits (1 / 10 computed three
        // times) never moved: their level is exact and their scatter 0, not
        // a lognormal with an sd of 1e-17.
        if hi - lo <= 1e-12 * hi.abs().max(lo.abs()) {
            return Some(Estimate {
                n,
                mean: values[0],
                scatter: 0.0,
            });
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let scatter = if n > 1 {
            let ss: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
            (ss / (n - 1) as f64).sqrt()
        } else {
            0.0
        };
        Some(Estimate { n, mean, scatter })
    }

    /// Standard error of the level: s / √n.
    pub fn standard_error(&self) -> f64 {
        self.scatter / (self.n as f64).sqrt()
    }

    /// Month-to-month coefficient of variation s / r̄ (0 for a level of 0).
    pub fn cv(&self) -> f64 {
        if self.mean > 0.0 {
            self.scatter / self.mean
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_standard_error_and_scatter_by_their_definitions() {
        let e = Estimate::of(&[4.0, 6.0, 8.0]).unwrap();
        assert_eq!((e.n, e.mean, e.scatter), (3, 6.0, 2.0));
        assert_eq!(e.standard_error(), 2.0 / 3f64.sqrt());
        assert_eq!(e.cv(), 2.0 / 6.0);
    }

    #[test]
    fn ratios_that_differ_only_in_their_last_bits_never_moved() {
        let e = Estimate::of(&[0.1, 1.0 / 10.0, 0.30000000000000004 / 3.0]).unwrap();
        assert_eq!((e.mean, e.scatter), (0.1, 0.0));
        assert!(Estimate::of(&[]).is_none());
    }
}
