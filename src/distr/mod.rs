//! Probability distributions of the uncertain inputs.
//!
//! One file per family, each a small type with fallible named constructors
//! (`from_mean_sd`, `from_p5_p95`, ...) that do all the checking and parameter
//! algebra once, so that `sample` never re-validates. [`Dist`] is the closed
//! set of families the scenario file can name; the engine matches on it, which
//! is cheaper than dynamic dispatch in the hot loop.
//!
//! The random stream is consumed in a documented, fixed way per family (see
//! each `sample`), and `tests/value_stability.rs` pins the first draws of
//! every family for a fixed seed.
//!
//! Checks are written `!(x > 0.0)` rather than `x <= 0.0` so that NaN fails
//! them too (as rand_distr does); clippy's lint against that form is off here.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

mod beta;
pub(crate) mod fastmath;
mod lognormal;
mod metalog;
mod normal;
mod pert;
mod quantile;
mod triangular;
mod uniform;

pub use beta::{Beta, BetaError};
pub use lognormal::{LogNormal, LogNormalError};
pub use metalog::{MAX_TERMS, Metalog, MetalogError};
pub use normal::{Normal, NormalError};
pub use pert::{Pert, PertError};
pub use quantile::{Inverse, normal_quantile, normal_quantile_fast};
pub use triangular::{Triangular, TriangularError};
pub use uniform::{Uniform, UniformError};

use rand::Rng;

/// z such that P(Z <= z) = 0.95 for a standard normal Z: maps p5 / p95 to sd.
pub const Z95: f64 = 1.644_853_626_951_472_2;

/// z such that P(Z > z) = 1e-12: the "one in a trillion" score at which
/// [`Dist::reach`] measures how far a distribution goes.
pub const Z_REACH: f64 = 7.034_483_825_9;

/// Why a distribution cannot be built: one family's error.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum DistError {
    /// A uniform's parameters break its rules.
    #[error(transparent)]
    Uniform(#[from] UniformError),
    /// A triangular's or a PERT's parameters break their rules (the two
    /// share `min`, `mode`, `max`).
    #[error(transparent)]
    Triangular(#[from] TriangularError),
    /// A normal's parameters break its rules.
    #[error(transparent)]
    Normal(#[from] NormalError),
    /// A lognormal's parameters break its rules.
    #[error(transparent)]
    LogNormal(#[from] LogNormalError),
    /// A beta's parameters break its rules.
    #[error(transparent)]
    Beta(#[from] BetaError),
    /// A metalog's quantiles or bounds break its rules.
    #[error(transparent)]
    Metalog(#[from] MetalogError),
}

impl DistError {
    /// The parameter the error is about, as written in a scenario.
    pub fn param(&self) -> &'static str {
        match self {
            DistError::Uniform(e) => e.param(),
            DistError::Triangular(e) => e.param(),
            DistError::Normal(e) => e.param(),
            DistError::LogNormal(e) => e.param(),
            DistError::Beta(e) => e.param(),
            DistError::Metalog(e) => e.param(),
        }
    }
}

/// One uncertain input's distribution of its drawn value D.
#[derive(Debug, Clone)]
pub enum Dist {
    /// Always the same value.
    Fixed(f64),
    /// Uniform on `[min, max]`.
    Uniform(Uniform),
    /// Triangular on `[min, max]` with its peak at `mode`.
    Triangular(Triangular),
    /// Classic PERT (shape 4) on `[min, max]`.
    Pert(Pert),
    /// Normal, optionally truncated to `[min, max]` by redrawing.
    Normal(Normal),
    /// Lognormal, parameterised on the value itself.
    LogNormal(LogNormal),
    /// Beta on `(0, 1)`.
    Beta(Beta),
    /// Metalog through given quantiles, optionally bounded (boxed: its
    /// coefficients would make every `Dist` large).
    Metalog(Box<Metalog>),
}

impl Dist {
    /// Draws one value.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform(d) => d.sample(rng),
            Dist::Triangular(d) => d.sample(rng),
            Dist::Pert(d) => d.sample(rng),
            Dist::Normal(d) => d.sample(rng),
            Dist::LogNormal(d) => d.sample(rng),
            Dist::Beta(d) => d.sample(rng),
            Dist::Metalog(d) => d.sample(rng),
        }
    }

    /// The mean of the distribution (of a truncated normal: of the truncated
    /// distribution). The point plan uses it.
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform(d) => d.mean(),
            Dist::Triangular(d) => d.mean(),
            Dist::Pert(d) => d.mean(),
            Dist::Normal(d) => d.mean(),
            Dist::LogNormal(d) => d.mean(),
            Dist::Beta(d) => d.mean(),
            Dist::Metalog(d) => d.mean(),
        }
    }

    /// The standard deviation of the distribution.
    pub fn sd(&self) -> f64 {
        match self {
            Dist::Fixed(_) => 0.0,
            Dist::Uniform(d) => d.sd(),
            Dist::Triangular(d) => d.sd(),
            Dist::Pert(d) => d.sd(),
            Dist::Normal(d) => d.sd(),
            Dist::LogNormal(d) => d.sd(),
            Dist::Beta(d) => d.sd(),
            Dist::Metalog(d) => d.sd(),
        }
    }

    /// The infimum of the support: the smallest value a draw can come near.
    /// Negative infinity for an untruncated normal and a metalog without a
    /// lower bound.
    pub fn lower_bound(&self) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform(d) => d.min(),
            Dist::Triangular(d) => d.min(),
            Dist::Pert(d) => d.min(),
            Dist::Normal(d) => d.bounds().0,
            Dist::LogNormal(_) | Dist::Beta(_) => 0.0,
            Dist::Metalog(d) => d.lower().unwrap_or(f64::NEG_INFINITY),
        }
    }

    /// How far draws go: the values at the one-in-a-trillion scores
    /// (±[`Z_REACH`]) of a normal, lognormal or metalog (within a
    /// metalog's bounds), the ends of a bounded support. Validation bounds each input by it, so that no plausible
    /// draw takes the model out of finite numbers.
    pub fn reach(&self) -> (f64, f64) {
        match self {
            Dist::Fixed(v) => (*v, *v),
            Dist::Uniform(d) => (d.min(), d.max()),
            Dist::Triangular(d) => (d.min(), d.max()),
            Dist::Pert(d) => (d.min(), d.max()),
            Dist::Normal(d) => {
                let (lo, hi) = d.bounds();
                (d.at_score(-Z_REACH).max(lo), d.at_score(Z_REACH).min(hi))
            }
            Dist::LogNormal(d) => (d.at_score(-Z_REACH), d.at_score(Z_REACH)),
            Dist::Beta(_) => (0.0, 1.0),
            Dist::Metalog(d) => (d.at_score(-Z_REACH), d.at_score(Z_REACH)),
        }
    }

    /// Whether a draw can be exactly equal to `lower_bound` or below it
    /// (rather than only come arbitrarily close from above).
    pub fn reaches_lower_bound(&self) -> bool {
        !matches!(self, Dist::LogNormal(_) | Dist::Beta(_) | Dist::Metalog(_))
    }
}

/// A standard normal draw (ziggurat), the building block of normal, lognormal
/// and the month-to-month noise.
#[inline]
pub fn standard_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    use rand_distr::Distribution;
    rand_distr::StandardNormal.sample(rng)
}

/// Standard normal density.
pub fn phi(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Standard normal distribution function, accurate to a few ulps through
/// `erfc` (std has no stable `erf`).
pub fn big_phi(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}
