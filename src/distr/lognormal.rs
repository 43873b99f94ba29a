//! Lognormal distribution, parameterised on the value itself.

use rand::Rng;

use super::{Z95, standard_normal};

/// Why a lognormal distribution cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum LogNormalError {
    /// A parameter is NaN or infinite.
    #[error("must be a finite number")]
    NotFinite,
    /// The mean is zero or negative.
    #[error("a lognormal mean must be above 0")]
    MeanNotPositive,
    /// sd is zero or negative.
    #[error("sd must be above 0 (use dist = \"fixed\" for a fixed value)")]
    SdNotPositive,
    /// p5 is zero or negative.
    #[error("a lognormal p5 must be above 0")]
    P5NotPositive,
    /// p5 >= p95.
    #[error("p5 must be below p95")]
    P5NotBelowP95,
}

impl LogNormalError {
    /// The parameter the error is about.
    pub fn param(&self) -> &'static str {
        match self {
            LogNormalError::NotFinite | LogNormalError::MeanNotPositive => "mean",
            LogNormalError::SdNotPositive => "sd",
            LogNormalError::P5NotPositive => "p5",
            LogNormalError::P5NotBelowP95 => "p95",
        }
    }
}

/// exp(μ + σ Z), Z standard normal.
///
/// From the value's mean m and sd s (not those of its log):
/// σ² = ln(1 + s² / m²), μ = ln m - σ² / 2.
/// From p5 and p95: μ = (ln p5 + ln p95) / 2, σ = (ln p95 - ln p5) / (2 × 1.6449).
#[derive(Debug, Clone)]
pub struct LogNormal {
    mu: f64,
    sigma: f64,
}

impl LogNormal {
    /// Lognormal whose value has mean `mean` and standard deviation `sd`.
    pub fn from_mean_sd(mean: f64, sd: f64) -> Result<Self, LogNormalError> {
        if !(mean.is_finite() && sd.is_finite()) {
            return Err(LogNormalError::NotFinite);
        }
        if !(mean > 0.0) {
            return Err(LogNormalError::MeanNotPositive);
        }
        if !(sd > 0.0) {
            return Err(LogNormalError::SdNotPositive);
        }
        // ln(1 + r²), written so that a huge ratio does not overflow r².
        let r = sd / mean;
        let s2 = if r > 1e150 {
            2.0 * r.ln()
        } else {
            (1.0 + r * r).ln()
        };
        Ok(LogNormal {
            mu: mean.ln() - 0.5 * s2,
            sigma: s2.sqrt(),
        })
    }

    /// Lognormal whose 5th and 95th percentiles are `p5` and `p95`.
    pub fn from_p5_p95(p5: f64, p95: f64) -> Result<Self, LogNormalError> {
        if !(p5.is_finite() && p95.is_finite()) {
            return Err(LogNormalError::NotFinite);
        }
        if !(p5 > 0.0) {
            return Err(LogNormalError::P5NotPositive);
        }
        if !(p5 < p95) {
            return Err(LogNormalError::P5NotBelowP95);
        }
        let (l5, l95) = (p5.ln(), p95.ln());
        Ok(LogNormal {
            mu: 0.5 * (l5 + l95),
            sigma: (l95 - l5) / (2.0 * Z95),
        })
    }

    /// Lognormal with mean 1 and coefficient of variation `cv`: the
    /// month-to-month noise factor.
    pub fn unit_mean(cv: f64) -> Result<Self, LogNormalError> {
        Self::from_mean_sd(1.0, cv)
    }

    /// Draws one value: one ziggurat normal, exponentiated.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        (self.mu + self.sigma * standard_normal(rng)).exp()
    }

    /// exp(μ + σ² / 2).
    pub fn mean(&self) -> f64 {
        (self.mu + 0.5 * self.sigma * self.sigma).exp()
    }

    /// mean × sqrt(exp(σ²) - 1).
    pub fn sd(&self) -> f64 {
        self.mean() * (self.sigma * self.sigma).exp_m1().sqrt()
    }

    /// exp(μ + σ z): the value at standard normal score `z`.
    pub fn at_score(&self, z: f64) -> f64 {
        (self.mu + self.sigma * z).exp()
    }

    /// `(μ, σ)` of its log.
    pub fn params(&self) -> (f64, f64) {
        (self.mu, self.sigma)
    }
}
