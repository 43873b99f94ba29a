//! Metalog distribution (Keelin 2016): a quantile function fitted exactly
//! through quantiles an expert gives, optionally bounded below, above or
//! both.

use nalgebra::{DMatrix, DVector};
use rand::Rng;
use rand::distr::{Distribution, Open01};

use super::big_phi;
use super::fastmath::{by_cpu, exp, ln};

/// Most quantiles a metalog takes: its basis stops at c⁴ L.
pub const MAX_TERMS: usize = 10;

/// Why a metalog distribution cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum MetalogError {
    /// Fewer than 2 pairs: no spread to fit.
    #[error("a metalog needs at least 2 quantiles as [p, x] pairs ({given} given)")]
    TooFewQuantiles {
        /// How many pairs were given.
        given: usize,
    },
    /// More than [`MAX_TERMS`] pairs.
    #[error("a metalog takes at most 10 quantiles ({given} given)")]
    TooManyQuantiles {
        /// How many pairs were given.
        given: usize,
    },
    /// A p or an x is NaN or infinite.
    #[error("quantile {}: p and x must be finite numbers", .index + 1)]
    NotFinite {
        /// 0-based position of the pair.
        index: usize,
    },
    /// `lower` is NaN or infinite.
    #[error("lower must be a finite number (leave it out for no lower bound)")]
    LowerNotFinite,
    /// `upper` is NaN or infinite.
    #[error("upper must be a finite number (leave it out for no upper bound)")]
    UpperNotFinite,
    /// A p is 0, 1 or outside.
    #[error("quantile {}: p = {p} must lie strictly between 0 and 1", .index + 1)]
    POutside {
        /// 0-based position of the pair.
        index: usize,
        /// The p given.
        p: f64,
    },
    /// A p is not above the one before it.
    #[error(
        "quantile {}: p = {p} must be above the p before it (list the quantiles from the lowest p up)",
        .index + 1
    )]
    PNotIncreasing {
        /// 0-based position of the pair.
        index: usize,
        /// The p given.
        p: f64,
    },
    /// An x is not above the one before it.
    #[error(
        "quantile {}: x = {x} must be above the x before it: a higher probability needs a higher value",
        .index + 1
    )]
    XNotIncreasing {
        /// 0-based position of the pair.
        index: usize,
        /// The x given.
        x: f64,
    },
    /// `lower >= upper`.
    #[error("lower must be below upper")]
    LowerNotBelowUpper,
    /// `upper - lower`, `x - lower` or `upper - x` overflows.
    #[error("the bounds lie too far from the values (or each other) to compute with")]
    RangeNotFinite,
    /// `lower` is at or above the smallest x.
    #[error(
        "lower = {lower} must lie below the smallest value, {smallest}: bounds must lie outside the given values"
    )]
    LowerNotBelowValues {
        /// The lower bound given.
        lower: f64,
        /// The smallest x.
        smallest: f64,
    },
    /// `upper` is at or below the largest x.
    #[error(
        "upper = {upper} must lie above the largest value, {largest}: bounds must lie outside the given values"
    )]
    UpperNotAboveValues {
        /// The upper bound given.
        upper: f64,
        /// The largest x.
        largest: f64,
    },
    /// The system through the pairs is singular or too ill-conditioned for
    /// its solution to mean anything.
    #[error(
        "no metalog through these quantiles can be computed reliably: their probabilities lie too close together, or seven of them sit symmetrically about 0.5 (spread them out, or give one more or one fewer)"
    )]
    IllConditioned,
    /// The curve through the pairs turns back somewhere: no distribution
    /// has those quantiles with this many terms.
    #[error(
        "the quantiles give a quantile function that decreases near p = {}: they cannot all hold at once (spread them more evenly or give fewer)",
        show_p(*.p)
    )]
    Decreasing {
        /// A probability at which the fitted quantile function decreases.
        p: f64,
    },
    /// With a lower bound only, the value grows like (1 - p)^-s at the top
    /// and s >= 1.
    #[error(
        "the upper tail is too heavy for a mean (the value grows like (1 - p)^-{s:.3} near p = 1; a mean needs a power below 1): give an upper bound or a less stretched top quantile"
    )]
    UpperTailTooHeavy {
        /// The power s.
        s: f64,
    },
    /// With an upper bound only, the value falls like p^-s at the bottom
    /// and s >= 1.
    #[error(
        "the lower tail is too heavy for a mean (the value falls away like p^-{s:.3} near p = 0; a mean needs a power below 1): give a lower bound or a less stretched bottom quantile"
    )]
    LowerTailTooHeavy {
        /// The power s.
        s: f64,
    },
}

impl MetalogError {
    /// The parameter the error is about.
    pub fn param(&self) -> &'static str {
        match self {
            MetalogError::LowerNotFinite | MetalogError::LowerNotBelowValues { .. } => "lower",
            MetalogError::UpperNotFinite
            | MetalogError::UpperNotAboveValues { .. }
            | MetalogError::LowerNotBelowUpper
            | MetalogError::RangeNotFinite => "upper",
            MetalogError::TooFewQuantiles { .. }
            | MetalogError::TooManyQuantiles { .. }
            | MetalogError::NotFinite { .. }
            | MetalogError::POutside { .. }
            | MetalogError::PNotIncreasing { .. }
            | MetalogError::XNotIncreasing { .. }
            | MetalogError::IllConditioned
            | MetalogError::Decreasing { .. }
            | MetalogError::UpperTailTooHeavy { .. }
            | MetalogError::LowerTailTooHeavy { .. } => "quantiles",
        }
    }
}

/// A probability as a reader takes it in: 0.97, 2.5e-7, 1 - 3.1e-9.
fn show_p(p: f64) -> String {
    if p < 0.001 {
        format!("{p:.1e}")
    } else if p > 0.999 {
        format!("1 - {:.1e}", 1.0 - p)
    } else {
        let s = format!("{p:.3}");
        s.trim_end_matches('0').to_string()
    }
}

/// How the fitted series M maps to a value.
#[derive(Debug, Clone, Copy)]
enum Form {
    Unbounded,
    Lower(f64),
    Upper(f64),
    Both { lower: f64, range: f64 },
}

/// The metalog: a quantile function Q(y) through k given pairs (p, x).
///
/// With L = ln(y / (1 - y)) and c = y - 0.5, the k basis functions are, in
/// order, 1, L, c L, c, c², c² L, c³, c³ L, c⁴, c⁴ L (from the fifth on: an
/// odd j gives c^((j-1)/2), an even j c^(j/2-1) L), and
/// M(y) = Σ a_j b_j(y). Unbounded Q(y) = M(y); with a lower bound only
/// Q(y) = lower + e^M(y) (M describes ln(x - lower)); with an upper bound
/// only Q(y) = upper - e^-M(y) (M describes -ln(upper - x)); with both
/// Q(y) = (lower + upper e^M) / (1 + e^M) (M describes
/// ln((x - lower) / (upper - x))).
///
/// The coefficients solve the k × k system Y a = z, Y_ij = b_j(p_i), z_i the
/// transformed x_i: the metalog passes exactly through every pair. Every
/// transform rises with M, so Q is a quantile function when M' > 0 on
/// (0, 1), checked on a grid; with one bound, ln of the distance from it
/// grows like s L in the open tail (s = Σ of the L terms' coefficients at
/// c = ±0.5), so the mean is finite only for s < 1 and the variance only
/// for s < 0.5. The mean and sd are computed once, by the trapezoid rule:
/// within 1e-10 relatively of the closed forms in the tests (about 1e-14
/// measured), in under 0.3 ms even for s = 0.99.
///
/// ```
/// use kpisim::distr::Metalog;
/// let m = Metalog::new(&[(0.1, 650.0), (0.5, 800.0), (0.9, 1000.0)], Some(0.0), None).unwrap();
/// assert!((m.quantile(0.9) - 1000.0).abs() < 1e-9);
/// assert!(m.mean() > 800.0 && m.lower() == Some(0.0));
/// ```
#[derive(Debug, Clone)]
pub struct Metalog {
    /// a_1..a_k, zero beyond k, so that evaluating M never branches on k.
    a: [f64; MAX_TERMS],
    k: usize,
    form: Form,
    mean: f64,
    sd: f64,
}

impl Metalog {
    /// The metalog through `quantiles`, pairs (p, x) of a probability and
    /// the value with that probability at or below it, optionally bounded.
    pub fn new(
        quantiles: &[(f64, f64)],
        lower: Option<f64>,
        upper: Option<f64>,
    ) -> Result<Self, MetalogError> {
        let k = quantiles.len();
        if k < 2 {
            return Err(MetalogError::TooFewQuantiles { given: k });
        }
        if k > MAX_TERMS {
            return Err(MetalogError::TooManyQuantiles { given: k });
        }
        if let Some(index) = quantiles
            .iter()
            .position(|(p, x)| !(p.is_finite() && x.is_finite()))
        {
            return Err(MetalogError::NotFinite { index });
        }
        if lower.is_some_and(|v| !v.is_finite()) {
            return Err(MetalogError::LowerNotFinite);
        }
        if upper.is_some_and(|v| !v.is_finite()) {
            return Err(MetalogError::UpperNotFinite);
        }
        for (index, &(p, _)) in quantiles.iter().enumerate() {
            if !(p > 0.0 && p < 1.0) {
                return Err(MetalogError::POutside { index, p });
            }
        }
        for (index, w) in quantiles.windows(2).enumerate() {
            let ((p0, x0), (p1, x1)) = (w[0], w[1]);
            if !(p1 > p0) {
                return Err(MetalogError::PNotIncreasing {
                    index: index + 1,
                    p: p1,
                });
            }
            if !(x1 > x0) {
                return Err(MetalogError::XNotIncreasing {
                    index: index + 1,
                    x: x1,
                });
            }
        }
        let (smallest, largest) = (quantiles[0].1, quantiles[k - 1].1);
        let form = match (lower, upper) {
            (None, None) => Form::Unbounded,
            (Some(lo), None) => Form::Lower(lo),
            (None, Some(hi)) => Form::Upper(hi),
            (Some(lo), Some(hi)) => {
                if !(lo < hi) {
                    return Err(MetalogError::LowerNotBelowUpper);
                }
                if !(hi - lo).is_finite() {
                    return Err(MetalogError::RangeNotFinite);
                }
                Form::Both {
                    lower: lo,
                    range: hi - lo,
                }
            }
        };
        if let Some(lo) = lower
            && !(lo < smallest)
        {
            return Err(MetalogError::LowerNotBelowValues {
                lower: lo,
                smallest,
            });
        }
        if let Some(hi) = upper
            && !(hi > largest)
        {
            return Err(MetalogError::UpperNotAboveValues { upper: hi, largest });
        }
        let z: Vec<f64> = quantiles
            .iter()
            .map(|&(_, x)| match (lower, upper) {
                (None, None) => x,
                (Some(lo), None) => (x - lo).ln(),
                (None, Some(hi)) => -(hi - x).ln(),
                (Some(lo), Some(hi)) => (x - lo).ln() - (hi - x).ln(),
            })
            .collect();
        if z.iter().any(|v| !v.is_finite()) {
            return Err(MetalogError::RangeNotFinite);
        }
        let a = fit(quantiles, &z)?;
        if let Some(p) = decrease(&a) {
            return Err(MetalogError::Decreasing { p });
        }
        // ln of the distance from the one bound grows like s |L| in the open
        // tail: the distance like the odds to the power s, whose mean needs
        // s < 1 and whose variance s < 0.5.
        let s = match form {
            Form::Lower(_) => r_at(&a, 0.5),
            Form::Upper(_) => r_at(&a, -0.5),
            Form::Unbounded | Form::Both { .. } => 0.0,
        };
        match form {
            Form::Lower(_) if !(s < 1.0) => return Err(MetalogError::UpperTailTooHeavy { s }),
            Form::Upper(_) if !(s < 1.0) => return Err(MetalogError::LowerTailTooHeavy { s }),
            _ => {}
        }
        // A slightly negative s (M' > 0 on the grid, yet turning past it)
        // has a light tail.
        let s = s.max(0.0);
        let mut m = Metalog {
            a,
            k,
            form,
            mean: f64::NAN,
            sd: f64::NAN,
        };
        m.mean = m.integrate_mean(s);
        m.sd = if s < 0.5 {
            m.integrate_variance(s).sqrt()
        } else {
            f64::INFINITY
        };
        Ok(m)
    }

    /// Draws one value: Q(U) for one uniform U on the open interval (0, 1)
    /// (rand's `Open01`, one `u64` from the stream, [`Metalog::uniform`]),
    /// one ln, two short polynomials and, when bounded, one exp (kpisim's
    /// own, src/distr/fastmath.rs: the same bits as [`Metalog::fill`]).
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.at(Self::uniform(rng))
    }

    /// The U a draw takes from the stream.
    #[inline]
    pub fn uniform<R: Rng + ?Sized>(rng: &mut R) -> f64 {
        Open01.sample(rng)
    }

    /// Replaces each U in `ys` (in (0, 1), from [`Metalog::uniform`]) by
    /// Q(U): a block of draws at once, vectorised (with AVX2 where the CPU
    /// has it), the same bits as [`Metalog::sample`] one at a time.
    pub fn fill(&self, ys: &mut [f64]) {
        fill_quantiles(self, ys);
    }

    /// Q(y): the value with probability `y` at or below it, exact. The
    /// bounds (or ±infinity) at 0 and 1.
    pub fn quantile(&self, y: f64) -> f64 {
        if y <= 0.0 {
            return self.lower().unwrap_or(f64::NEG_INFINITY);
        }
        if y >= 1.0 {
            return self.upper().unwrap_or(f64::INFINITY);
        }
        self.at(y)
    }

    /// Q(Φ(z)): the value at standard normal score `z`. L is ln of the
    /// ratio of Φ(z) to Φ(-z) with the smaller of the two from `erfc`, not
    /// logit(Φ(z)), which for z = 8 would take 1 - Φ(z) from a number
    /// rounded to 1 and lose every digit of the upper tail.
    pub fn at_score(&self, z: f64) -> f64 {
        let q = big_phi(-z.abs());
        let (l, c) = (((1.0 - q) / q).ln(), 0.5 - q);
        let (l, c) = if z < 0.0 { (-l, -c) } else { (l, c) };
        value(self.form, self.m(l, c))
    }

    /// ∫₀¹ Q(y) dy.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// The standard deviation; infinite when a one-sided tail makes the
    /// second moment infinite (s >= 0.5).
    pub fn sd(&self) -> f64 {
        self.sd
    }

    /// The lower bound, if any.
    pub fn lower(&self) -> Option<f64> {
        match self.form {
            Form::Lower(lo) | Form::Both { lower: lo, .. } => Some(lo),
            _ => None,
        }
    }

    /// The upper bound, if any.
    pub fn upper(&self) -> Option<f64> {
        match self.form {
            Form::Upper(hi) => Some(hi),
            Form::Both { lower, range } => Some(lower + range),
            _ => None,
        }
    }

    /// The coefficients a_1..a_k.
    pub fn coefficients(&self) -> &[f64] {
        &self.a[..self.k]
    }

    #[inline(always)]
    fn at(&self, y: f64) -> f64 {
        value(self.form, self.m(ln(y / (1.0 - y)), y - 0.5))
    }

    /// M at L = `l`, c = `c`: a polynomial in c plus L times another.
    #[inline(always)]
    fn m(&self, l: f64, c: f64) -> f64 {
        let a = &self.a;
        let p = a[0] + c * (a[3] + c * (a[4] + c * (a[6] + c * a[8])));
        p + l * r_at(a, c)
    }

    /// ∫ Q(y) dy over t = L, dy = w dt, w = y (1 - y). The distance from a
    /// single bound times w is one exp of M + ln w, so that neither
    /// overflows far out in a heavy tail.
    fn integrate_mean(&self, s: f64) -> f64 {
        let heavy = T_TAIL / (1.0 - s);
        match self.form {
            Form::Unbounded => integrate(T_TAIL, T_TAIL, |t| {
                let q = Point::at(t);
                self.m(q.l, q.c) * q.w
            }),
            Form::Lower(lo) => {
                lo + integrate(T_TAIL, heavy, |t| {
                    let q = Point::at(t);
                    (self.m(q.l, q.c) + q.ln_w).exp()
                })
            }
            Form::Upper(hi) => {
                hi - integrate(heavy, T_TAIL, |t| {
                    let q = Point::at(t);
                    (q.ln_w - self.m(q.l, q.c)).exp()
                })
            }
            Form::Both { lower, range } => {
                lower
                    + range
                        * integrate(T_TAIL, T_TAIL, |t| {
                            let q = Point::at(t);
                            q.w / (1.0 + (-self.m(q.l, q.c)).exp())
                        })
            }
        }
    }

    /// ∫ (Q(y) - mean)² dy, for s < 0.5, as the square of (Q - mean) √w.
    fn integrate_variance(&self, s: f64) -> f64 {
        let mean = self.mean;
        let heavy = T_TAIL / (1.0 - 2.0 * s);
        let (lo_t, hi_t) = match self.form {
            Form::Lower(_) => (T_TAIL, heavy),
            Form::Upper(_) => (heavy, T_TAIL),
            _ => (T_TAIL, T_TAIL),
        };
        integrate(lo_t, hi_t, |t| {
            let q = Point::at(t);
            let m = self.m(q.l, q.c);
            let root_w = (0.5 * q.ln_w).exp();
            let v = match self.form {
                Form::Unbounded => (m - mean) * root_w,
                Form::Lower(lo) => (lo - mean) * root_w + (m + 0.5 * q.ln_w).exp(),
                Form::Upper(hi) => (hi - mean) * root_w - (0.5 * q.ln_w - m).exp(),
                Form::Both { lower, range } => (lower - mean + range / (1.0 + (-m).exp())) * root_w,
            };
            v * v
        })
    }
}

by_cpu! {
    /// [`Metalog::fill`]: one loop a form, the match outside it, so that
    /// each loop is straight-line code, which vectorises.
    fn fill_quantiles / fill_quantiles_on(d: &Metalog, ys: &mut [f64]) {
        match d.form {
            f @ Form::Unbounded => fill_form(d, ys, f),
            f @ Form::Lower(_) => fill_form(d, ys, f),
            f @ Form::Upper(_) => fill_form(d, ys, f),
            f @ Form::Both { .. } => fill_form(d, ys, f),
        }
    }
}

#[inline(always)]
fn fill_form(d: &Metalog, ys: &mut [f64], form: Form) {
    for y in ys {
        *y = value(form, d.m(ln(*y / (1.0 - *y)), *y - 0.5));
    }
}

/// Q from M by the bounds' transform.
#[inline(always)]
fn value(form: Form, m: f64) -> f64 {
    match form {
        Form::Unbounded => m,
        Form::Lower(lo) => lo + exp(m),
        Form::Upper(hi) => hi - exp(-m),
        Form::Both { lower, range } => lower + range / (1.0 + exp(-m)),
    }
}

/// Σ of the L terms' coefficients at c: a_2 + a_3 c + a_6 c² + a_8 c³ +
/// a_10 c⁴.
#[inline(always)]
fn r_at(a: &[f64; MAX_TERMS], c: f64) -> f64 {
    a[1] + c * (a[2] + c * (a[5] + c * (a[7] + c * a[9])))
}

/// The j-th basis function (0-based) at L = `l`, c = `c`.
fn basis(j: usize, l: f64, c: f64) -> f64 {
    match j {
        0 => 1.0,
        1 => l,
        2 => c * l,
        3 => c,
        _ if j.is_multiple_of(2) => c.powi(j as i32 / 2),
        _ => c.powi((j as i32 - 1) / 2) * l,
    }
}

/// Largest 1-norm condition number of the column-scaled system accepted:
/// beyond it the coefficients keep fewer than about four digits.
const MAX_CONDITION: f64 = 1e12;

/// Solves Y a = z by LU, refusing a singular or ill-conditioned Y.
fn fit(quantiles: &[(f64, f64)], z: &[f64]) -> Result<[f64; MAX_TERMS], MetalogError> {
    let k = quantiles.len();
    let y = DMatrix::from_fn(k, k, |i, j| {
        let p = quantiles[i].0;
        basis(j, (p / (1.0 - p)).ln(), p - 0.5)
    });
    // Columns scaled to the same size, so that the condition number
    // measures how close the p's are, not the units of c⁴ against 1.
    let scale: Vec<f64> = y.column_iter().map(|col| col.amax()).collect();
    if scale.iter().any(|s| !(*s > 0.0)) {
        return Err(MetalogError::IllConditioned);
    }
    let y = DMatrix::from_fn(k, k, |i, j| y[(i, j)] / scale[j]);
    let lu = y.clone().lu();
    let inverse = lu.try_inverse().ok_or(MetalogError::IllConditioned)?;
    let norm1 = |m: &DMatrix<f64>| {
        m.column_iter()
            .map(|col| col.iter().map(|v| v.abs()).sum::<f64>())
            .fold(0.0, f64::max)
    };
    if !(norm1(&y) * norm1(&inverse) < MAX_CONDITION) {
        return Err(MetalogError::IllConditioned);
    }
    let solved = lu
        .solve(&DVector::from_column_slice(z))
        .ok_or(MetalogError::IllConditioned)?;
    let mut a = [0.0; MAX_TERMS];
    for j in 0..k {
        a[j] = solved[j] / scale[j];
    }
    if a.iter().any(|v| !v.is_finite()) {
        return Err(MetalogError::IllConditioned);
    }
    Ok(a)
}

/// M'(y) y (1 - y) at L = `l`, c = `c`, w = y (1 - y): the sign of M's
/// slope, finite in the tails where M' is not.
fn slope(a: &[f64; MAX_TERMS], l: f64, c: f64, w: f64) -> f64 {
    let dp = a[3] + c * (2.0 * a[4] + c * (3.0 * a[6] + c * 4.0 * a[8]));
    let dr = a[2] + c * (2.0 * a[5] + c * (3.0 * a[7] + c * 4.0 * a[9]));
    w * (dp + l * dr) + r_at(a, c)
}

/// Points of each part of the monotonicity grid.
const GRID: usize = 1001;
/// The grid's ends in y: 1e-6 and 1 - 1e-6.
const Y_END: f64 = 1e-6;
/// How far in L the grid goes beyond logit(1e-6): past every draw
/// (`Open01` is at least 2^-53 from 0 and 1, |L| <= 36.74) and every score
/// a quantile table reaches (Φ(-8.3), |L| = 37.5).
const L_END: f64 = 38.0;

/// A probability where M' <= 0, if any: of those on the grid, the nearest
/// the median, where the given quantiles are. The grid is 1,001 points
/// uniform in y on [1e-6, 1 - 1e-6] (the middle), 1,001 uniform in L over
/// the same range (the tails) and 200 beyond it to |L| = 38.
fn decrease(a: &[f64; MAX_TERMS]) -> Option<f64> {
    let mut found: Option<(f64, f64)> = None;
    let mut check = |l: f64, c: f64, w: f64, y: f64| {
        if !(slope(a, l, c, w) > 0.0) && found.is_none_or(|(nearest, _)| l.abs() < nearest) {
            found = Some((l.abs(), y));
        }
    };
    let step = (1.0 - 2.0 * Y_END) / (GRID - 1) as f64;
    for i in 0..GRID {
        let y = Y_END + i as f64 * step;
        check((y / (1.0 - y)).ln(), y - 0.5, y * (1.0 - y), y);
    }
    let mut check_logit = |t: f64| {
        let q = Point::at(t);
        check(q.l, q.c, q.w, 1.0 / (1.0 + (-t).exp()));
    };
    let l_mid = ((1.0 - Y_END) / Y_END).ln();
    for i in 0..GRID {
        check_logit(-l_mid + 2.0 * l_mid * i as f64 / (GRID - 1) as f64);
    }
    for i in 1..=100 {
        let t = l_mid + (L_END - l_mid) * i as f64 / 100.0;
        check_logit(t);
        check_logit(-t);
    }
    found.map(|(_, y)| y)
}

/// y = 1 / (1 + e^-t) seen through L = t, c = y - 0.5 and w = y (1 - y),
/// each from e^-|t| so that none rounds away in a tail.
#[derive(Clone, Copy)]
struct Point {
    l: f64,
    c: f64,
    w: f64,
    ln_w: f64,
}

impl Point {
    #[inline]
    fn at(t: f64) -> Point {
        let e = (-t.abs()).exp();
        let half = 0.5 * (1.0 - e) / (1.0 + e);
        Point {
            l: t,
            c: if t < 0.0 { -half } else { half },
            w: e / ((1.0 + e) * (1.0 + e)),
            ln_w: -t.abs() - 2.0 * e.ln_1p(),
        }
    }
}

/// How far out in L the integrals go on a light side: the integrand falls
/// like L² e^-|L|, below 1e-18 of its peak at 48. A heavy one-sided tail,
/// falling like e^-(1 - s)|L|, goes to 48 / (1 - s).
const T_TAIL: f64 = 48.0;

/// ∫ f over [-t_lo, t_hi] by the trapezoid rule in u with t = A sinh(u / A):
/// a step of 1/32 in L near the middle, growing in proportion to |L| far
/// out, where a heavy tail is smooth on a scale of 1 / (1 - s). The
/// integrand is analytic and negligible at both ends, so the rule converges
/// geometrically, not like h²; 2,500 points reach L = 4,800 (s = 0.99).
fn integrate(t_lo: f64, t_hi: f64, f: impl Fn(f64) -> f64) -> f64 {
    const A: f64 = 8.0;
    const H: f64 = 1.0 / 32.0;
    let end = |t: f64| (A * (t / A).asinh() / H).ceil() as i64;
    let (k_lo, k_hi) = (end(t_lo), end(t_hi));
    let mut sum = 0.0;
    for k in -k_lo..=k_hi {
        let u = k as f64 * H / A;
        sum += f(A * u.sinh()) * u.cosh();
    }
    sum * H
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distr::fastmath::Cpu;
    use crate::distr::normal_quantile;
    use std::f64::consts::PI;

    /// The four forms: unbounded, lower only, upper only, both.
    const FORMS: [(Option<f64>, Option<f64>); 4] = [
        (None, None),
        (Some(0.0), None),
        (None, Some(10.0)),
        (Some(0.0), Some(1000.0)),
    ];

    fn metalog(q: &[(f64, f64)], lower: Option<f64>, upper: Option<f64>) -> Metalog {
        Metalog::new(q, lower, upper).unwrap()
    }

    /// Quantiles of the kinds the tests draw from, one of each form.
    fn examples() -> Vec<Metalog> {
        vec![
            metalog(&[(0.1, 650.0), (0.5, 800.0), (0.9, 1000.0)], None, None),
            metalog(
                &[(0.1, 650.0), (0.5, 800.0), (0.9, 1000.0)],
                Some(0.0),
                None,
            ),
            metalog(&[(0.1, 0.2), (0.5, 0.6), (0.9, 0.7)], None, Some(1.0)),
            metalog(
                &[
                    (0.05, 0.01),
                    (0.25, 0.015),
                    (0.5, 0.02),
                    (0.75, 0.03),
                    (0.95, 0.06),
                ],
                Some(0.0),
                Some(0.2),
            ),
        ]
    }

    /// A 10-term M with every coefficient at work, increasing on (0, 1).
    fn ten_terms() -> Metalog {
        Metalog {
            a: [1.0, 0.5, 0.1, 0.2, 0.05, 0.02, -0.03, 0.01, 0.02, 0.01],
            k: 10,
            form: Form::Unbounded,
            mean: f64::NAN,
            sd: f64::NAN,
        }
    }

    #[test]
    fn it_passes_through_every_pair() {
        let truth = ten_terms();
        assert!(decrease(&truth.a).is_none());
        for k in 2..=10 {
            // p from 0.02 to 0.98, uneven so that no seven sit symmetrically
            // about 0.5 (that system is singular).
            let ps: Vec<f64> = (0..k)
                .map(|i| 0.02 + 0.96 * (i as f64 / (k - 1) as f64).powf(1.1))
                .collect();
            for (lower, upper) in FORMS {
                // x from the true M through each form's transform.
                let x = |p: f64| {
                    let m = truth.quantile(p);
                    match (lower, upper) {
                        (None, None) => 100.0 * m,
                        (Some(lo), None) => lo + m.exp(),
                        (None, Some(hi)) => hi - (-m).exp(),
                        (Some(lo), Some(hi)) => lo + (hi - lo) / (1.0 + (-m).exp()),
                    }
                };
                let q: Vec<(f64, f64)> = ps.iter().map(|&p| (p, x(p))).collect();
                let m = metalog(&q, lower, upper);
                assert_eq!(m.coefficients().len(), k);
                for &(p, x) in &q {
                    let got = m.quantile(p);
                    assert!(
                        (got - x).abs() <= 1e-9 * x.abs(),
                        "k {k} {lower:?} {upper:?} at {p}: {got} vs {x}"
                    );
                }
                if k == 10 {
                    // The fit recovers the truth, to what the system's
                    // condition (about 1e6) leaves of the data's digits.
                    let scale = if lower.is_none() && upper.is_none() {
                        100.0
                    } else {
                        1.0
                    };
                    for (got, want) in m.coefficients().iter().zip(truth.a) {
                        assert!(
                            (got - scale * want).abs() <= 1e-8 * scale,
                            "{lower:?} {upper:?}: {got} vs {want}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn two_terms_are_the_logistic_and_the_log_logistic() {
        let (a1, a2) = (800.0, 60.0);
        let q = |y: f64| a1 + a2 * (y / (1.0 - y)).ln();
        let m = metalog(&[(0.25, q(0.25)), (0.7, q(0.7))], None, None);
        assert!((m.mean() - a1).abs() <= 1e-10 * a1, "{}", m.mean());
        let sd = a2 * PI / 3f64.sqrt();
        assert!((m.sd() - sd).abs() <= 1e-10 * sd, "{}", m.sd());

        // lower + e^a1 (y / (1 - y))^a2: E[(X - lower)^r] =
        // e^(r a1) B(1 + r a2, 1 - r a2) = e^(r a1) π r a2 / sin(π r a2).
        let moment = |a1: f64, a2: f64, r: f64| (r * a1).exp() * PI * r * a2 / (PI * r * a2).sin();
        for a2 in [0.1, 0.3, 0.45, 0.49, 0.7, 0.9, 0.99] {
            let (lower, a1) = (2.0, 0.3);
            let q = |y: f64| lower + (a1 + a2 * (y / (1.0 - y)).ln()).exp();
            let m = metalog(&[(0.2, q(0.2)), (0.7, q(0.7))], Some(lower), None);
            let mean = lower + moment(a1, a2, 1.0);
            assert!(
                (m.mean() - mean).abs() <= 1e-10 * mean,
                "{a2}: {}",
                m.mean()
            );
            if a2 < 0.5 {
                let sd = (moment(a1, a2, 2.0) - moment(a1, a2, 1.0).powi(2)).sqrt();
                assert!(
                    (m.sd() - sd).abs() <= 1e-10 * sd,
                    "{a2}: {} vs {sd}",
                    m.sd()
                );
            } else {
                assert_eq!(m.sd(), f64::INFINITY, "{a2}");
            }
            // Its mirror: upper - e^-a1 ((1 - y) / y)^a2.
            let upper = 50.0;
            let q = |y: f64| upper - (-a1 - a2 * (y / (1.0 - y)).ln()).exp();
            let m = metalog(&[(0.2, q(0.2)), (0.7, q(0.7))], None, Some(upper));
            let mean = upper - moment(-a1, a2, 1.0);
            assert!(
                (m.mean() - mean).abs() <= 1e-10 * mean.abs(),
                "{a2}: {}",
                m.mean()
            );
            if a2 < 0.5 {
                let sd = (moment(-a1, a2, 2.0) - moment(-a1, a2, 1.0).powi(2)).sqrt();
                assert!(
                    (m.sd() - sd).abs() <= 1e-10 * sd,
                    "{a2}: {} vs {sd}",
                    m.sd()
                );
            } else {
                assert_eq!(m.sd(), f64::INFINITY, "{a2}");
            }
        }
    }

    #[test]
    fn a_symmetric_metalog_has_its_mean_at_its_median() {
        for (q, lower, upper) in [
            (vec![(0.1, 650.0), (0.5, 800.0), (0.9, 950.0)], None, None),
            (
                vec![
                    (0.05, 600.0),
                    (0.25, 760.0),
                    (0.5, 800.0),
                    (0.75, 840.0),
                    (0.95, 1000.0),
                ],
                None,
                None,
            ),
            (
                vec![(0.1, 500.0), (0.5, 800.0), (0.9, 1100.0)],
                Some(0.0),
                Some(1600.0),
            ),
        ] {
            let m = metalog(&q, lower, upper);
            assert!(
                (m.mean() - 800.0).abs() <= 1e-10 * 800.0,
                "{q:?}: {}",
                m.mean()
            );
            assert!((m.quantile(0.5) - 800.0).abs() <= 1e-10 * 800.0);
        }
        // Not a vacuous check: a lower bound alone skews it right.
        let m = metalog(&[(0.1, 650.0), (0.5, 800.0), (0.9, 950.0)], Some(0.0), None);
        assert!(m.mean() > 800.5, "{}", m.mean());
    }

    #[test]
    fn a_block_of_draws_is_the_draws_one_by_one() {
        for m in examples().into_iter().chain([ten_terms()]) {
            let mut rng = crate::streams::stream(5, 1);
            // The far ends of (0, 1) too, where L is largest.
            let mut us: Vec<f64> = (0..1_000).map(|_| Metalog::uniform(&mut rng)).collect();
            us.extend([1e-16, 1e-9, 0.5, 1.0 - 1e-9, 1.0 - 1.1e-16]);
            let one_by_one: Vec<u64> = us.iter().map(|&u| m.at(u).to_bits()).collect();
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            for cpu in [Cpu::Any, Cpu::Avx2].into_iter().filter(|c| c.here()) {
                let mut block = us.clone();
                fill_quantiles_on(cpu, &m, &mut block);
                assert_eq!(bits(&block), one_by_one, "{m:?}: {cpu:?}");
            }
            let mut block = us.clone();
            m.fill(&mut block);
            for (&u, &x) in us.iter().zip(&block) {
                let glibc = value_glibc(&m, u);
                // Relative to the largest magnitude in the sums: M's terms
                // cancel near its zero, a bound and the distance from it
                // near that bound.
                let lr = ((u / (1.0 - u)).ln() * r_at(&m.a, u - 0.5)).abs();
                let scale = [
                    x,
                    lr,
                    m.a[0],
                    m.lower().unwrap_or(0.0),
                    m.upper().unwrap_or(0.0),
                ]
                .iter()
                .fold(f64::MIN_POSITIVE, |a, v| a.max(v.abs()));
                let tol = 8.0 * f64::EPSILON * scale;
                assert!((x - glibc).abs() <= tol, "{m:?} at {u}: {x} vs {glibc}");
            }
        }
    }

    /// Q(u) by glibc's ln and exp: what kpisim's own must agree with.
    fn value_glibc(m: &Metalog, y: f64) -> f64 {
        let v = m.m((y / (1.0 - y)).ln(), y - 0.5);
        match m.form {
            Form::Unbounded => v,
            Form::Lower(lo) => lo + v.exp(),
            Form::Upper(hi) => hi - (-v).exp(),
            Form::Both { lower, range } => lower + range / (1.0 + (-v).exp()),
        }
    }

    #[test]
    fn draws_stay_strictly_inside_the_bounds() {
        for m in examples() {
            let (lo, hi) = (
                m.lower().unwrap_or(f64::NEG_INFINITY),
                m.upper().unwrap_or(f64::INFINITY),
            );
            let mut rng = crate::streams::stream(5, 0);
            for _ in 0..100_000 {
                let x = m.sample(&mut rng);
                assert!(lo < x && x < hi, "{m:?}: {x}");
            }
        }
    }

    #[test]
    fn draws_have_the_given_quantiles_and_the_mean() {
        let cases = [
            (vec![(0.1, 650.0), (0.5, 800.0), (0.9, 1000.0)], None, None),
            (
                vec![(0.1, 650.0), (0.5, 800.0), (0.9, 1000.0)],
                Some(0.0),
                None,
            ),
            (vec![(0.1, 0.2), (0.5, 0.6), (0.9, 0.7)], None, Some(1.0)),
            (
                vec![
                    (0.05, 0.01),
                    (0.25, 0.015),
                    (0.5, 0.02),
                    (0.75, 0.03),
                    (0.95, 0.06),
                ],
                Some(0.0),
                Some(0.2),
            ),
            // s = 0.7: a finite mean, an infinite sd.
            (vec![(0.2, 1.0), (0.8, 7.0)], Some(0.0), None),
        ];
        let n = 200_000;
        for (q, lower, upper) in cases {
            let m = metalog(&q, lower, upper);
            let mut rng = crate::streams::stream(13, 0);
            let draws: Vec<f64> = (0..n).map(|_| m.sample(&mut rng)).collect();
            for &(p, x) in &q {
                let share = draws.iter().filter(|d| **d <= x).count() as f64 / n as f64;
                let se = (p * (1.0 - p) / n as f64).sqrt();
                assert!((share - p).abs() < 4.0 * se, "{q:?} at {p}: {share}");
            }
            if m.sd().is_finite() {
                let mean = draws.iter().sum::<f64>() / n as f64;
                let se = m.sd() / (n as f64).sqrt();
                assert!(
                    (mean - m.mean()).abs() < 4.0 * se,
                    "{q:?}: {mean} vs {}",
                    m.mean()
                );
            } else {
                assert!(m.mean().is_finite(), "{q:?}");
            }
        }
    }

    #[test]
    fn the_score_form_keeps_the_far_tails() {
        let (lower, a1, a2) = (2.0, 0.3, 0.4);
        let q = |y: f64| lower + (a1 + a2 * (y / (1.0 - y)).ln()).exp();
        let m = metalog(&[(0.2, q(0.2)), (0.7, q(0.7))], Some(lower), None);
        for z in [-8.0, -7.0, -3.0, -0.5, 0.0, 0.5, 3.0, 7.0, 8.0] {
            // Both tails of Φ from erfc, neither through 1 - Φ.
            let odds = big_phi(z) / big_phi(-z);
            let want = lower + a1.exp() * odds.powf(a2);
            let got = m.at_score(z);
            assert!((got - want).abs() <= 1e-12 * want, "{z}: {got} vs {want}");
        }
        // Through y = Φ(8) the upper tail is lost: 1 - y keeps one digit.
        let naive = m.quantile(big_phi(8.0));
        assert!((naive / m.at_score(8.0) - 1.0).abs() > 1e-3);
        for p in [0.01, 0.3, 0.5, 0.9] {
            let (got, want) = (m.at_score(normal_quantile(p)), m.quantile(p));
            assert!((got - want).abs() <= 1e-12 * want, "{p}");
        }
        assert_eq!((m.quantile(0.0), m.quantile(1.0)), (lower, f64::INFINITY));
    }

    #[test]
    fn refusals_say_what_is_wrong() {
        use MetalogError as E;
        let good = [(0.1, 650.0), (0.5, 800.0), (0.9, 1000.0)];
        let err = |q: &[(f64, f64)], lower, upper| Metalog::new(q, lower, upper).unwrap_err();
        assert_eq!(err(&good[..1], None, None), E::TooFewQuantiles { given: 1 });
        let eleven: Vec<(f64, f64)> = (1..=11).map(|i| (i as f64 / 12.0, i as f64)).collect();
        assert_eq!(err(&eleven, None, None), E::TooManyQuantiles { given: 11 });
        assert_eq!(
            err(&[(0.1, 650.0), (0.5, f64::NAN)], None, None),
            E::NotFinite { index: 1 }
        );
        assert_eq!(
            err(&[(f64::INFINITY, 650.0), (0.5, 700.0)], None, None),
            E::NotFinite { index: 0 }
        );
        assert_eq!(err(&good, Some(f64::NAN), None), E::LowerNotFinite);
        assert_eq!(err(&good, None, Some(f64::INFINITY)), E::UpperNotFinite);
        assert_eq!(
            err(&[(0.0, 650.0), (0.5, 800.0)], None, None),
            E::POutside { index: 0, p: 0.0 }
        );
        assert_eq!(
            err(&[(0.5, 650.0), (1.0, 800.0)], None, None),
            E::POutside { index: 1, p: 1.0 }
        );
        assert_eq!(
            err(&[(0.5, 650.0), (0.1, 800.0), (0.9, 900.0)], None, None),
            E::PNotIncreasing { index: 1, p: 0.1 }
        );
        assert_eq!(
            err(&[(0.1, 650.0), (0.5, 800.0), (0.9, 800.0)], None, None),
            E::XNotIncreasing { index: 2, x: 800.0 }
        );
        assert_eq!(
            err(&good, Some(650.0), None),
            E::LowerNotBelowValues {
                lower: 650.0,
                smallest: 650.0
            }
        );
        assert_eq!(
            err(&good, None, Some(999.0)),
            E::UpperNotAboveValues {
                upper: 999.0,
                largest: 1000.0
            }
        );
        assert_eq!(err(&good, Some(900.0), Some(900.0)), E::LowerNotBelowUpper);
        assert_eq!(err(&good, Some(-1.7e308), Some(1.7e308)), E::RangeNotFinite);
        assert_eq!(
            err(
                &[(0.1, 1.0), (0.5, 2.0), (0.5 + 1e-14, 3.0), (0.9, 4.0)],
                None,
                None
            ),
            E::IllConditioned
        );
        // Seven placed symmetrically about 0.5: four odd basis functions
        // on three distinct |c|, a singular system.
        let seven: Vec<(f64, f64)> = [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]
            .iter()
            .map(|&p| (p, 800.0 + 100.0 * normal_quantile(p)))
            .collect();
        assert_eq!(err(&seven, None, None), E::IllConditioned);
        assert!(Metalog::new(&seven[1..], None, None).is_ok());

        // A lower bound of 0 under a top quantile a hundred times the
        // median: ln x grows like 2.23 L, no mean.
        let stretched = [(0.1, 1.0), (0.5, 10.0), (0.9, 1000.0)];
        let E::UpperTailTooHeavy { s } = err(&stretched, Some(0.0), None) else {
            panic!("not refused for its tail");
        };
        assert!(s > 2.0 && s < 2.5, "{s}");
        let mirrored: Vec<(f64, f64)> = stretched
            .iter()
            .rev()
            .map(|&(p, x)| (1.0 - p, -x))
            .collect();
        assert!(matches!(
            err(&mirrored, None, Some(0.0)),
            E::LowerTailTooHeavy { .. }
        ));
        // With an upper bound as well the same quantiles have a mean.
        assert!(Metalog::new(&stretched, Some(0.0), Some(1e4)).is_ok());

        let e = err(&good, Some(650.0), None);
        assert_eq!(e.param(), "lower");
        assert!(
            e.to_string()
                .contains("bounds must lie outside the given values")
        );
        assert_eq!(err(&good, None, Some(999.0)).param(), "upper");
        assert_eq!(err(&stretched, Some(0.0), None).param(), "quantiles");
        assert_eq!(
            err(&[(0.5, 650.0), (0.1, 800.0)], None, None).to_string(),
            "quantile 2: p = 0.1 must be above the p before it (list the quantiles from the lowest p up)"
        );
    }

    #[test]
    fn a_curve_that_turns_back_is_refused_where_it_does() {
        for q in [
            vec![(0.1, 0.0), (0.5, 10.0), (0.9, 10.5)],
            vec![
                (0.05, 1.0),
                (0.1, 9.0),
                (0.5, 10.0),
                (0.9, 11.0),
                (0.95, 19.0),
            ],
        ] {
            let Err(MetalogError::Decreasing { p }) = Metalog::new(&q, None, None) else {
                panic!("{q:?} not refused");
            };
            let z: Vec<f64> = q.iter().map(|&(_, x)| x).collect();
            let a = fit(&q, &z).unwrap();
            let (l, c, w) = ((p / (1.0 - p)).ln(), p - 0.5, p * (1.0 - p));
            assert!(slope(&a, l, c, w) <= 0.0, "{q:?} at {p}");
            assert!(p > q[0].0 && p < q[q.len() - 1].0, "{q:?}: {p}");
            // The values themselves come out of order around p.
            let at = |y: f64| {
                let m = Metalog {
                    a,
                    k: q.len(),
                    form: Form::Unbounded,
                    mean: 0.0,
                    sd: 0.0,
                };
                m.quantile(y)
            };
            assert!(at(p + 1e-3) < at(p - 1e-3), "{q:?} at {p}");
            let msg = MetalogError::Decreasing { p }.to_string();
            assert!(msg.contains(&format!("near p = {}", show_p(p))), "{msg}");
        }
        assert_eq!(show_p(0.97), "0.97");
        assert_eq!(show_p(2.5e-7), "2.5e-7");
        assert_eq!(show_p(1.0 - 3e-9), "1 - 3.0e-9");
    }
}
