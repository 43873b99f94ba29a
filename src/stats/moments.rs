//! Mean and variance, accumulated per chunk and merged in chunk order.

/// Count, mean and sum of squared deviations (M2) of a sample.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Moments {
    /// Number of values (trials) summarised.
    pub n: u64,
    /// Their mean, in the values' unit.
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn two_pass(v: &[f64]) -> (f64, f64) {
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, var.sqrt())
    }

    proptest! {
        #[test]
        fn chunked_shifted_sums_merge_to_the_two_pass_moments(
            v in prop::collection::vec(4e8f64..5e8, 2..500),
            cut in 0usize..500,
            shift in 4e8f64..5e8,
        ) {
            let cut = cut.min(v.len());
            let part = |s: &[f64]| {
                let s1: f64 = s.iter().map(|x| x - shift).sum();
                let s2: f64 = s.iter().map(|x| (x - shift).powi(2)).sum();
                Moments::from_shifted_sums(s.len() as u64, shift, s1, s2)
            };
            let mut m = part(&v[..cut]);
            m.merge(&part(&v[cut..]));
            let (mean, sd) = two_pass(&v);
            prop_assert_eq!(m.n, v.len() as u64);
            prop_assert!((m.mean - mean).abs() <= 1e-9 * mean);
            prop_assert!((m.sd() - sd).abs() <= 1e-6 * sd.max(1.0), "{} vs {}", m.sd(), sd);
        }
    }
}
