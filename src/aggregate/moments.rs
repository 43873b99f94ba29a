//! Mean and variance, accumulated per chunk and merged in chunk order.

/// Count, mean and sum of squared deviations (M2) of a sample.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Moments {
    /// Number of values.
    pub n: u64,
    /// Their mean.
    pub mean: f64,
    /// Sum of squared deviations from the mean.
    pub m2: f64,
}

impl Moments {
    /// From sums of `x - shift` and `(x - shift)²` over `n` values. Shifting
    /// by a value near the mean (the point plan's) keeps the sums small, so
    /// `s2 - s1²/n` does not cancel.
    pub fn from_shifted_sums(n: u64, shift: f64, s1: f64, s2: f64) -> Self {
        if n == 0 {
            return Moments::default();
        }
        let nf = n as f64;
        Moments {
            n,
            mean: shift + s1 / nf,
            m2: (s2 - s1 * s1 / nf).max(0.0),
        }
    }

    /// Chan et al.'s pairwise update. Floating-point addition is not
    /// associative, so callers merge in a fixed (chunk) order for results that
    /// do not depend on the thread count.
    pub fn merge(&mut self, o: &Moments) {
        if o.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *o;
            return;
        }
        let n = self.n + o.n;
        let delta = o.mean - self.mean;
        let (na, nb, nf) = (self.n as f64, o.n as f64, n as f64);
        self.mean += delta * nb / nf;
        self.m2 += o.m2 + delta * delta * na * nb / nf;
        self.n = n;
    }

    /// Sample standard deviation (n - 1 in the denominator); 0 below two values.
    pub fn sd(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            (self.m2 / (self.n - 1) as f64).sqrt()
        }
    }
}
