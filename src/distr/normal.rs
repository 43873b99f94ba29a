//! Normal distribution, optionally truncated to `[min, max]`.

use rand::Rng;

use super::{Z95, big_phi, phi, standard_normal};

/// Smallest share of the normal's mass the truncation range may keep. Below
/// it, redrawing until a value lands inside would take thousands of draws.
pub const MIN_TRUNCATED_MASS: f64 = 1e-3;

/// Why a normal distribution cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum NormalError {
    /// A parameter is NaN or infinite.
    #[error("must be a finite number")]
    NotFinite,
    /// sd is zero or negative.
    #[error("sd must be above 0 (use dist = \"fixed\" for a fixed value)")]
    SdNotPositive,
    /// p5 >= p95.
    #[error("p5 must be below p95")]
    P5NotBelowP95,
    /// min >= max.
    #[error("min must be below max")]
    MinNotBelowMax,
    /// The truncation range keeps almost none of the distribution.
    #[error("[min, max] keeps {mass:.2e} of the normal's mass, less than the 1e-3 redrawing needs")]
    TruncationTooNarrow {
        /// Share of the untruncated normal inside `[min, max]`.
        mass: f64,
    },
}

impl NormalError {
    /// The parameter the error is about.
    pub fn param(&self) -> &'static str {
        match self {
            NormalError::NotFinite => "mean",
            NormalError::SdNotPositive => "sd",
            NormalError::P5NotBelowP95 => "p95",
            NormalError::MinNotBelowMax | NormalError::TruncationTooNarrow { .. } => "max",
        }
    }
}

/// Normal(μ, σ), truncated to `[min, max]` (either end may be infinite) by
/// redrawing: a draw outside is thrown away and drawn again.
///
/// From p5 and p95: μ = (p5 + p95) / 2, σ = (p95 - p5) / (2 × 1.6449).
/// The truncated mean is μ + σ (φ(a) - φ(b)) / (Φ(b) - Φ(a)), with
/// a = (min - μ) / σ and b = (max - μ) / σ.
#[derive(Debug, Clone)]
pub struct Normal {
    mu: f64,
    sigma: f64,
    min: f64,
    max: f64,
    truncated: bool,
}

impl Normal {
    /// Normal with mean `mean` and standard deviation `sd`.
    pub fn from_mean_sd(mean: f64, sd: f64) -> Result<Self, NormalError> {
        if !(mean.is_finite() && sd.is_finite()) {
            return Err(NormalError::NotFinite);
        }
        if !(sd > 0.0) {
            return Err(NormalError::SdNotPositive);
        }
        Ok(Normal {
            mu: mean,
            sigma: sd,
            min: f64::NEG_INFINITY,
            max: f64::INFINITY,
            truncated: false,
        })
    }

    /// Normal whose 5th and 95th percentiles are `p5` and `p95`.
    pub fn from_p5_p95(p5: f64, p95: f64) -> Result<Self, NormalError> {
        if !(p5.is_finite() && p95.is_finite()) {
            return Err(NormalError::NotFinite);
        }
        if !(p5 < p95) {
            return Err(NormalError::P5NotBelowP95);
        }
        // Halved first: the same numbers, and no overflow when p5 and p95
        // are near the ends of the floating-point range.
        Self::from_mean_sd(0.5 * p5 + 0.5 * p95, (0.5 * p95 - 0.5 * p5) / Z95)
    }

    /// The same normal truncated to `[min, max]`; `None` leaves that end open.
    pub fn truncated(self, min: Option<f64>, max: Option<f64>) -> Result<Self, NormalError> {
        if min.is_none() && max.is_none() {
            return Ok(self);
        }
        let lo = min.unwrap_or(f64::NEG_INFINITY);
        let hi = max.unwrap_or(f64::INFINITY);
        if lo.is_nan()
            || hi.is_nan()
            || min.is_some_and(f64::is_infinite)
            || max.is_some_and(f64::is_infinite)
        {
            return Err(NormalError::NotFinite);
        }
        if !(lo < hi) {
            return Err(NormalError::MinNotBelowMax);
        }
        let t = Normal {
            min: lo,
            max: hi,
            truncated: true,
            ..self
        };
        let mass = t.mass();
        if !(mass >= MIN_TRUNCATED_MASS) {
            return Err(NormalError::TruncationTooNarrow { mass });
        }
        Ok(t)
    }

    fn standardised_bounds(&self) -> (f64, f64) {
        (
            (self.min - self.mu) / self.sigma,
            (self.max - self.mu) / self.sigma,
        )
    }

    /// Share of the untruncated normal inside `[min, max]`.
    fn mass(&self) -> f64 {
        let (a, b) = self.standardised_bounds();
        // Through the upper tail when both bounds are above the mean, so that
        // a far-right range does not cancel to 0.
        if a > 0.0 {
            big_phi(-a) - big_phi(-b)
        } else {
            big_phi(b) - big_phi(a)
        }
    }

    /// Draws one value: one ziggurat normal, repeated while it falls outside.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        loop {
            let x = self.mu + self.sigma * standard_normal(rng);
            if !self.truncated || (x >= self.min && x <= self.max) {
                return x;
            }
        }
    }

    /// Mean of the (truncated) distribution.
    pub fn mean(&self) -> f64 {
        if !self.truncated {
            return self.mu;
        }
        let (a, b) = self.standardised_bounds();
        self.mu + self.sigma * (phi(a) - phi(b)) / self.mass()
    }

    /// Standard deviation of the (truncated) distribution:
    /// σ² [1 + (a φ(a) - b φ(b)) / Z - ((φ(a) - φ(b)) / Z)²].
    pub fn sd(&self) -> f64 {
        if !self.truncated {
            return self.sigma;
        }
        let (a, b) = self.standardised_bounds();
        let z = self.mass();
        // x φ(x) -> 0 at an infinite bound, where the product would be NaN.
        let xphi = |x: f64| if x.is_finite() { x * phi(x) } else { 0.0 };
        let d = (phi(a) - phi(b)) / z;
        (self.sigma * self.sigma * (1.0 + (xphi(a) - xphi(b)) / z - d * d)).sqrt()
    }

    /// μ + σ z: the untruncated value at standard normal score `z`.
    pub fn at_score(&self, z: f64) -> f64 {
        self.mu + self.sigma * z
    }

    /// `(min, max)` of the support; infinite where untruncated.
    pub fn bounds(&self) -> (f64, f64) {
        (self.min, self.max)
    }

    /// `(μ, σ)` of the untruncated normal.
    pub fn params(&self) -> (f64, f64) {
        (self.mu, self.sigma)
    }
}
