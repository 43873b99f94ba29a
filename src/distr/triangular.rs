//! Triangular distribution on `[min, max]` with mode `mode`.

use rand::Rng;
use rand_distr::Distribution;

/// Why a triangular distribution cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum TriangularError {
    /// A parameter is NaN or infinite.
    #[error("min, mode and max must be finite numbers")]
    NotFinite,
    /// `min >= max`.
    #[error("min must be below max")]
    MinNotBelowMax,
    /// `mode` outside `[min, max]`.
    #[error("mode must lie between min and max")]
    ModeOutside,
    /// `max - min` overflows.
    #[error("max - min must be a finite number: min and max are too far apart")]
    RangeNotFinite,
}

impl TriangularError {
    /// The parameter the error is about.
    pub fn param(&self) -> &'static str {
        match self {
            TriangularError::NotFinite => "min",
            TriangularError::ModeOutside => "mode",
            TriangularError::MinNotBelowMax | TriangularError::RangeNotFinite => "max",
        }
    }
}

/// Checks `min < max` and `min <= mode <= max`, shared with PERT.
pub(crate) fn check_min_mode_max(min: f64, mode: f64, max: f64) -> Result<(), TriangularError> {
    if !(min.is_finite() && mode.is_finite() && max.is_finite()) {
        return Err(TriangularError::NotFinite);
    }
    if !(min < max) {
        return Err(TriangularError::MinNotBelowMax);
    }
    if !(max - min).is_finite() {
        return Err(TriangularError::RangeNotFinite);
    }
    if !(min <= mode && mode <= max) {
        return Err(TriangularError::ModeOutside);
    }
    Ok(())
}

/// Triangular on `[a, b]` with mode `c`: mean (a + b + c) / 3,
/// variance (a² + b² + c² - ab - ac - bc) / 18.
///
/// Draws one `f64` per sample (inverse CDF, rand_distr's `Triangular`).
#[derive(Debug, Clone)]
pub struct Triangular {
    min: f64,
    mode: f64,
    max: f64,
    inner: rand_distr::Triangular<f64>,
}

impl Triangular {
    /// Triangular on `[min, max]` peaking at `mode`.
    pub fn new(min: f64, mode: f64, max: f64) -> Result<Self, TriangularError> {
        check_min_mode_max(min, mode, max)?;
        let inner = rand_distr::Triangular::new(min, max, mode)
            .map_err(|_| TriangularError::ModeOutside)?;
        Ok(Triangular {
            min,
            mode,
            max,
            inner,
        })
    }

    /// Draws one value.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.inner.sample(rng)
    }

    /// (min + mode + max) / 3.
    pub fn mean(&self) -> f64 {
        (self.min + self.mode + self.max) / 3.0
    }

    /// sqrt((a² + b² + c² - ab - ac - bc) / 18).
    pub fn sd(&self) -> f64 {
        let (a, b, c) = (self.min, self.max, self.mode);
        ((a * a + b * b + c * c - a * b - a * c - b * c) / 18.0).sqrt()
    }

    /// Lower end of the support.
    pub fn min(&self) -> f64 {
        self.min
    }

    /// Upper end of the support.
    pub fn max(&self) -> f64 {
        self.max
    }

    /// The mode.
    pub fn mode(&self) -> f64 {
        self.mode
    }
}
