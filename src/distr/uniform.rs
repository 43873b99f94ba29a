//! Uniform distribution on `[min, max]`.

use rand::Rng;
use rand_distr::Distribution;

/// Why a uniform distribution cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum UniformError {
    /// `min` or `max` is NaN or infinite.
    #[error("min and max must be finite numbers")]
    NotFinite,
    /// `min > max`.
    #[error("min must not exceed max")]
    MinAboveMax,
    /// `max - min` overflows.
    #[error("max - min must be a finite number: min and max are too far apart")]
    RangeNotFinite,
}

impl UniformError {
    /// The parameter the error is about.
    pub fn param(&self) -> &'static str {
        match self {
            UniformError::NotFinite => "min",
            UniformError::MinAboveMax | UniformError::RangeNotFinite => "max",
        }
    }
}

/// Uniform on `[min, max]`: mean (min + max) / 2, sd (max - min) / sqrt(12).
///
/// Draws one `f64` from the stream per sample (rand_distr's `Uniform`).
#[derive(Debug, Clone)]
pub struct Uniform {
    min: f64,
    max: f64,
    inner: rand_distr::Uniform<f64>,
}

impl Uniform {
    /// Uniform on `[min, max]`; `min == max` is allowed and always gives `min`.
    pub fn new(min: f64, max: f64) -> Result<Self, UniformError> {
        if !(min.is_finite() && max.is_finite()) {
            return Err(UniformError::NotFinite);
        }
        if !(min <= max) {
            return Err(UniformError::MinAboveMax);
        }
        if !(max - min).is_finite() {
            return Err(UniformError::RangeNotFinite);
        }
        let inner =
            rand_distr::Uniform::new_inclusive(min, max).map_err(|_| UniformError::MinAboveMax)?;
        Ok(Uniform { min, max, inner })
    }

    /// Draws one value.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.inner.sample(rng)
    }

    /// (min + max) / 2.
    pub fn mean(&self) -> f64 {
        0.5 * (self.min + self.max)
    }

    /// (max - min) / sqrt(12).
    pub fn sd(&self) -> f64 {
        (self.max - self.min) / 12f64.sqrt()
    }

    /// Lower end of the support.
    pub fn min(&self) -> f64 {
        self.min
    }

    /// Upper end of the support.
    pub fn max(&self) -> f64 {
        self.max
    }
}
