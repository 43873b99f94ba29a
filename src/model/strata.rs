//! Latin hypercube strata (`--sampling lhs`): the run's trials in 10
//! replicates of (about) `trials / 10` each; within a replicate of m
//! trials, each dimension (an input's D, or one month's D of an input drawn
//! every month) takes each of the m equal-probability strata exactly once,
//! in an order of its own: trial j of the replicate draws its u in
//! `[π(j), π(j) + 1) / m` for a permutation π of the dimension, the offset
//! inside the stratum from the input's own stream.
//!
//! Permutations are shuffled by Fisher-Yates from a SplitMix64 stream named
//! by the seed, the replicate, the input's salt and the month, so that they
//! do not depend on the thread count, and an input keeps its strata when
//! another input changes (common random numbers, as in plain Monte Carlo).
//! They take 4 bytes a trial and dimension. The replicates are independent,
//! so the spread of a probability between them gives its standard error.

use rand::Rng;
use rayon::prelude::*;

use super::Model;
use crate::streams::{self, EngineRng};

/// Number of independent replicates.
pub const REPLICATES: usize = 10;

/// The strata of one run.
#[derive(Debug, Clone)]
pub struct Strata {
    /// First trial of each replicate, and the run's trial count last.
    starts: Vec<u64>,
    /// Per input, the index of its first dimension (its month 0).
    first_dim: Vec<usize>,
    /// Per replicate, per dimension: the permutation.
    perms: Vec<Vec<Vec<u32>>>,
}

impl Strata {
    /// The strata of `trials` trials of `model` with `seed`.
    pub fn new(model: &Model, seed: u64, trials: u64) -> Self {
        let mut starts = vec![0u64];
        for (r, size) in Self::sizes_of(trials).into_iter().enumerate() {
            starts.push(starts[r] + size);
        }
        let mut first_dim = Vec::with_capacity(model.inputs.len());
        let mut dims: Vec<(u64, usize)> = Vec::new();
        for inp in &model.inputs {
            first_dim.push(dims.len());
            let months = if inp.per_month { model.months } else { 1 };
            for m in 0..months {
                dims.push((inp.salt, m));
            }
        }
        let tasks: Vec<(usize, u64, usize)> = (0..REPLICATES)
            .flat_map(|r| dims.iter().map(move |&(salt, m)| (r, salt, m)))
            .collect();
        let mut flat: Vec<Vec<u32>> = tasks
            .par_iter()
            .map(|&(r, salt, m)| {
                let size = (starts[r + 1] - starts[r]) as usize;
                let key =
                    streams::mix(seed ^ streams::mix(r as u64 + 1) ^ streams::mix(salt ^ m as u64));
                shuffled(size, streams::input_rng(key, salt))
            })
            .collect();
        let mut perms = Vec::with_capacity(REPLICATES);
        for _ in 0..REPLICATES {
            let rest = flat.split_off(dims.len());
            perms.push(std::mem::replace(&mut flat, rest));
        }
        Strata {
            starts,
            first_dim,
            perms,
        }
    }

    /// Bytes the strata of `trials` trials of `model` take.
    pub fn bytes(model: &Model, trials: u64) -> u64 {
        let dims: u64 = model
            .inputs
            .iter()
            .map(|i| if i.per_month { model.months as u64 } else { 1 })
            .sum();
        4 * dims * trials
    }

    /// The replicate of trial `t` of the run.
    pub fn replicate(&self, t: u64) -> usize {
        self.starts.partition_point(|&s| s <= t) - 1
    }

    /// Where trial `t` sits: its replicate and its place in it.
    pub fn locate(&self, t: u64) -> Place {
        let r = self.replicate(t);
        Place {
            replicate: r,
            index: (t - self.starts[r]) as usize,
            size: (self.starts[r + 1] - self.starts[r]) as f64,
        }
    }

    /// The u of input `i`, month `m` (0 for an input drawn once a trial),
    /// of the trial at `at`, given the offset `v` in [0, 1) inside its
    /// stratum.
    #[inline]
    pub fn u(&self, i: usize, m: usize, at: Place, v: f64) -> f64 {
        let stratum = self.perms[at.replicate][self.first_dim[i] + m][at.index];
        // Kept inside (0, 1): a quantile function is infinite at the ends.
        ((f64::from(stratum) + v) / at.size).clamp(f64::MIN_POSITIVE, 1.0 - f64::EPSILON)
    }

    /// The trials of each replicate of a run of `trials` trials: as equal
    /// as can be, the first ones one larger.
    pub fn sizes_of(trials: u64) -> Vec<u64> {
        let base = trials / REPLICATES as u64;
        let extra = trials % REPLICATES as u64;
        (0..REPLICATES as u64)
            .map(|r| base + u64::from(r < extra))
            .collect()
    }

    /// The trials of each replicate.
    pub fn sizes(&self) -> Vec<u64> {
        self.starts.windows(2).map(|w| w[1] - w[0]).collect()
    }
}

/// A trial's place in the strata.
#[derive(Debug, Clone, Copy, Default)]
pub struct Place {
    replicate: usize,
    index: usize,
    size: f64,
}

/// A Fisher-Yates shuffle of `v` driven by `rng`. The index `j` in 0..=i
/// is Lemire's multiply-shift of a 64-bit draw, biased by at most
/// n / 2^64: nothing a shuffle of at most 2^32 can show.
fn fisher_yates(v: &mut [u32], rng: &mut EngineRng) {
    for i in (1..v.len()).rev() {
        let j = ((u128::from(rng.next_u64()) * (i as u128 + 1)) >> 64) as usize;
        v.swap(i, j);
    }
}

/// Elements a bucket holds on average: its shuffle stays in cache.
const BUCKET: usize = 1 << 14;

/// 0..n in a uniformly random order driven by `rng`. Up to [`BUCKET`]
/// elements, Fisher-Yates; beyond, Rao and Sandelius' method, which is as
/// exact and far kinder to the cache: each element goes to a uniformly
/// random bucket (appends, in order), each bucket is shuffled by
/// Fisher-Yates in cache, and the buckets are joined. A plain Fisher-Yates
/// of a million elements, all cache misses, measured a fifth of a Latin
/// hypercube run.
fn shuffled(n: usize, mut rng: EngineRng) -> Vec<u32> {
    if n <= BUCKET {
        let mut v: Vec<u32> = (0..n as u32).collect();
        fisher_yates(&mut v, &mut rng);
        return v;
    }
    let k = n.div_ceil(BUCKET).next_power_of_two();
    let mut buckets: Vec<Vec<u32>> = vec![Vec::with_capacity(2 * n / k); k];
    for i in 0..n as u32 {
        let b = ((u128::from(rng.next_u64()) * k as u128) >> 64) as usize;
        buckets[b].push(i);
    }
    let mut v = Vec::with_capacity(n);
    for mut b in buckets {
        fisher_yates(&mut b, &mut rng);
        v.extend_from_slice(&b);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stratum_is_taken_once_per_replicate() {
        for n in [1000, 100_000] {
            let v = shuffled(n, streams::stream(3, 4));
            let mut seen = v.clone();
            seen.sort_unstable();
            assert_eq!(seen, (0..n as u32).collect::<Vec<u32>>());
            assert_ne!(v[..10], seen[..10], "not shuffled");
        }
    }

    #[test]
    fn every_element_is_equally_likely_in_every_place() {
        // 200,000 shuffles of 40,000 elements would be slow: shuffle 20,000
        // (two buckets and more) 2,000 times and count where element 0 and
        // the last element land in four quarters.
        let n = 40_000;
        let mut counts = [[0u32; 4]; 2];
        for s in 0..2000 {
            let v = shuffled(n, streams::stream(5, s));
            for (c, e) in counts.iter_mut().zip([0u32, n as u32 - 1]) {
                let at = v.iter().position(|x| *x == e).unwrap();
                c[at * 4 / n] += 1;
            }
        }
        // 500 expected in each quarter, sd about 19.4: within 5 sd.
        for c in counts.iter().flatten() {
            assert!((*c as f64 - 500.0).abs() < 5.0 * 19.4, "{counts:?}");
        }
    }
}
