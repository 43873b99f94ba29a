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
    /// Months used.
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
