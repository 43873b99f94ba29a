//! What the engine keeps of a block of a series' values besides its
//! histogram counts, in one pass: the shifted sums its moments are merged
//! from and the range its histogram reads. A run makes this pass once a
//! block for every recorded series (72 a trial with the model's
//! additions), so it is compiled for AVX2 where the CPU has it
//! ([`by_cpu!`]): four lanes in one register. Each lane adds its values
//! in the same order whatever the compilation, so the sums have the same
//! bits on every machine.

use crate::distr::fastmath::by_cpu;

/// Of a block of values: Σ (x − c), Σ (x − c)², the smallest and the
/// largest (NaN passed over; ±infinity for an empty block).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlockSums {
    /// Σ (x − c).
    pub s1: f64,
    /// Σ (x − c)².
    pub s2: f64,
    /// The smallest value.
    pub lo: f64,
    /// The largest value.
    pub hi: f64,
}

by_cpu! {
    /// [`BlockSums`] of `values` about `c`, in four interleaved lanes: one
    /// running sum would chain every addition on the one before (4 cycles
    /// each). Lane `l` takes the values at `4k + l` and the remainder's
    /// `l`-th: the sums the engine made before this pass was vectorised,
    /// bit for bit. The range is [`range`](super::range)'s, inlined here so
    /// that it is compiled for AVX2 too.
    pub fn block_sums / block_sums_on(values: &[f64], c: f64) -> BlockSums {
        // One accumulator a loop: given two (Σ d and Σ d² of a lane),
        // LLVM pairs them in a register and leaves the lanes scalar.
        let whole = values.len() / 4 * 4;
        let mut s1 = [0.0f64; 4];
        for q in values[..whole].chunks_exact(4) {
            for l in 0..4 {
                s1[l] += q[l] - c;
            }
        }
        let mut s2 = [0.0f64; 4];
        for q in values[..whole].chunks_exact(4) {
            for l in 0..4 {
                s2[l] += (q[l] - c) * (q[l] - c);
            }
        }
        for (l, &x) in values[whole..].iter().enumerate() {
            let d = x - c;
            s1[l] += d;
            s2[l] += d * d;
        }
        let (lo, hi) = super::range(values);
        BlockSums {
            s1: (s1[0] + s1[1]) + (s1[2] + s1[3]),
            s2: (s2[0] + s2[1]) + (s2[2] + s2[3]),
            lo,
            hi,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distr::fastmath::Cpu;
    use rand::RngExt;

    /// The lanes' sums and the range by their definitions, one value at a
    /// time.
    fn by_definition(values: &[f64], c: f64) -> BlockSums {
        let mut s1 = [0.0f64; 4];
        let mut s2 = [0.0f64; 4];
        let whole = values.len() / 4 * 4;
        for (i, &x) in values.iter().enumerate() {
            let l = if i < whole { i % 4 } else { i - whole };
            s1[l] += x - c;
            s2[l] += (x - c) * (x - c);
        }
        let (lo, hi) = super::super::range(values);
        BlockSums {
            s1: (s1[0] + s1[1]) + (s1[2] + s1[3]),
            s2: (s2[0] + s2[1]) + (s2[2] + s2[3]),
            lo,
            hi,
        }
    }

    #[test]
    fn every_compilation_gives_the_definition_bit_for_bit() {
        let mut rng = crate::streams::stream(3, 9);
        let bits = |b: BlockSums| [b.s1, b.s2, b.lo, b.hi].map(f64::to_bits);
        for n in [0usize, 1, 3, 4, 5, 63, 64] {
            let mut values: Vec<f64> = (0..n).map(|_| rng.random::<f64>() * 1e6 - 2e5).collect();
            let want = by_definition(&values, 123.25);
            for cpu in [Cpu::Any, Cpu::Avx2].into_iter().filter(|c| c.here()) {
                let got = block_sums_on(cpu, &values, 123.25);
                assert_eq!(bits(got), bits(want), "{n} values, {cpu:?}");
                if n > 5 {
                    // A NaN spoils the sums but not the range.
                    let kept = values[2];
                    values[2] = f64::NAN;
                    let got = block_sums_on(cpu, &values, 123.25);
                    assert!(got.s1.is_nan() && got.s2.is_nan());
                    let (lo, hi) = super::super::range(&values);
                    assert!(lo.is_finite() && hi.is_finite());
                    assert_eq!([got.lo, got.hi], [lo, hi], "{cpu:?}");
                    values[2] = kept;
                }
            }
        }
        let b = block_sums(&[1.0, 2.0, 3.0], 2.0);
        assert_eq!(
            b,
            BlockSums {
                s1: 0.0,
                s2: 2.0,
                lo: 1.0,
                hi: 3.0
            }
        );
    }
}
