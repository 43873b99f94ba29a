//! Triangular distribution on `[min, max]` with mode `mode`.
//!
//! Drawn by rand_distr's inverse CDF, written out here (the same operations,
//! so the same bits) with the branch between the two sides as a select, so
//! that a run draws a block of trials at once ([`Triangular::fill`]): its
//! side is a coin flip, and the branch rand_distr takes mispredicts half the
//! time.

use rand::distr::StandardUniform;
use rand::{Rng, RngExt};

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
/// Draws one `f64` per sample: with F uniform on [0, 1), x = a + √(F (b -
/// a)(c - a)) where F (b - a) < c - a, else b - √((b - a - F (b - a))(b -
/// c)) (rand_distr's `Triangular`, operation for operation).
#[derive(Debug, Clone)]
pub struct Triangular {
    min: f64,
    mode: f64,
    max: f64,
}

impl Triangular {
    /// Triangular on `[min, max]` peaking at `mode`.
    pub fn new(min: f64, mode: f64, max: f64) -> Result<Self, TriangularError> {
        check_min_mode_max(min, mode, max)?;
        Ok(Triangular { min, mode, max })
    }

    /// Draws one value.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.at(Self::uniform(rng))
    }

    /// The F a draw takes from the stream: one `u64` as a float in [0, 1).
    #[inline]
    pub fn uniform<R: Rng + ?Sized>(rng: &mut R) -> f64 {
        rng.sample(StandardUniform)
    }

    /// Replaces each F in `fs` (from [`Triangular::uniform`]) by the draw
    /// it gives: a block at once, the same bits as [`Triangular::sample`].
    pub fn fill(&self, fs: &mut [f64]) {
        for f in fs {
            *f = self.at(*f);
        }
    }

    #[inline(always)]
    fn at(&self, f: f64) -> f64 {
        let (min, mode, max) = (self.min, self.mode, self.max);
        let diff_mode_min = mode - min;
        let range = max - min;
        let f_range = f * range;
        let low = f_range < diff_mode_min;
        let square = if low {
            f_range * diff_mode_min
        } else {
            (range - f_range) * (max - mode)
        };
        let root = square.sqrt();
        if low { min + root } else { max - root }
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

#[cfg(test)]
mod tests {
    use super::*;
    use rand_distr::Distribution;

    #[test]
    fn draws_are_rand_distrs_bit_for_bit_one_by_one_or_a_block_at_once() {
        for (a, c, b) in [
            (0.1, 0.3, 0.5),
            (0.0, 0.0, 1.0),
            (-5.0, 2.0, 2.0),
            (1e6, 1.5e6, 4e6),
        ] {
            let ours = Triangular::new(a, c, b).unwrap();
            let theirs = rand_distr::Triangular::new(a, b, c).unwrap();
            let (mut r1, mut r2, mut r3) = (
                crate::streams::stream(3, 0),
                crate::streams::stream(3, 0),
                crate::streams::stream(3, 0),
            );
            let mut block: Vec<f64> = (0..1_000).map(|_| Triangular::uniform(&mut r3)).collect();
            ours.fill(&mut block);
            for x in block {
                let (one, want) = (ours.sample(&mut r1), theirs.sample(&mut r2));
                assert_eq!(one.to_bits(), want.to_bits(), "({a}, {c}, {b})");
                assert_eq!(x.to_bits(), want.to_bits(), "({a}, {c}, {b}): block");
            }
        }
    }
}
