//! A log-bucket histogram for the monthly percentile bands.
//!
//! Written here rather than taken from a crate because none met the budget
//! (docs/engine.md): on the project's 2-core machine sketches-ddsketch took
//! 27-45 ns an insert (one `ln` each) and tdigest 57 ns with no error bound,
//! against about 2 ns for this one, with dozens of inserts a trial and a
//! budget of a few hundred ns a trial for everything; hdrhistogram and
//! histogram take only integers.
//!
//! The bucket of a positive value is its f64 bit pattern shifted right by 42:
//! the exponent plus the top 10 mantissa bits. Bucket width is at most 2^-10
//! of the value, and the midpoint is within 0.049% of any value in the
//! bucket. Negative values (profit) go to a mirror histogram of |x|, zero to
//! its own count, and so do magnitudes below [`TINY`] (a payer count or an
//! amount of 1e-9 is zero for every reader, and without the floor a series
//! reaching 1e-300 would span two thousand octaves of buckets). Counts are
//! integers, so merging in any order gives the same result: the bands do not
//! depend on the thread count. The observed minimum and maximum are kept
//! too: no quantile is read outside them, and a series of identical values
//! gives that value exactly.
//!
//! Buckets are a dense vector that grows to cover the keys seen, so a series
//! needs no range declared up front and an empty histogram costs nothing.

/// Bits below the 10 kept mantissa bits.
const SHIFT: u32 = 42;

/// Relative error bound of a quantile read from the histogram: half a
/// bucket's width (for magnitudes of at least [`TINY`]).
pub const RELATIVE_ERROR: f64 = 1.0 / 2048.0;

/// Magnitudes below this (2^-30, about 9.3e-10) count as zero.
pub const TINY: f64 = 9.313_225_746_154_785e-10;

/// Counts are u32 to halve the cache footprint of the inserts (measured
/// faster); a bucket cannot overflow below 2^32 values, far above
/// `options::MAX_TRIALS`.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct Buckets {
    /// Key of `counts[0]`.
    offset: i64,
    counts: Vec<u32>,
}

impl Buckets {
    #[inline(always)]
    fn add(&mut self, key: i64, n: u32) {
        let i = key.wrapping_sub(self.offset);
        if (i as u64) < self.counts.len() as u64 {
            self.counts[i as usize] += n;
        } else {
            self.grow_to(key);
            self.counts[(key - self.offset) as usize] += n;
        }
    }

    /// Makes the buckets cover keys `lo..=hi`.
    #[inline(always)]
    fn cover(&mut self, lo: i64, hi: i64) {
        if lo < self.offset || self.counts.is_empty() {
            self.grow_to(lo);
        }
        if hi >= self.offset + self.counts.len() as i64 {
            self.grow_to(hi);
        }
    }

    /// Counts every value of `values` whose magnitude `sign × x` has a key
    /// the buckets cover, which after [`Buckets::cover`] is all of them but
    /// NaN (which `range` passes over); returns how many were not.
    #[inline(always)]
    fn count_all(&mut self, values: &[f64], sign: f64) -> u64 {
        let (offset, counts) = (self.offset as u64, &mut self.counts[..]);
        let mut strays = 0;
        let mut one = |x: f64| {
            let i = (key(sign * x) as u64).wrapping_sub(offset);
            match counts.get_mut(i as usize) {
                Some(c) => *c += 1,
                None => strays += 1,
            }
        };
        let mut quads = values.chunks_exact(4);
        for q in &mut quads {
            one(q[0]);
            one(q[1]);
            one(q[2]);
            one(q[3]);
        }
        quads.remainder().iter().for_each(|&x| one(x));
        strays
    }

    #[cold]
    fn grow_to(&mut self, key: i64) {
        // Margin so that a series' values, which cluster, trigger few grows.
        const MARGIN: i64 = 256;
        if self.counts.is_empty() {
            self.offset = key - MARGIN;
            self.counts = vec![0; 2 * MARGIN as usize];
            return;
        }
        let len = self.counts.len() as i64;
        let end = self.offset + len;
        // Grow by at least the current length on the side that needs it, so
        // that values spreading outwards cost amortised O(1) copies.
        let new_offset = if key < self.offset {
            (key - MARGIN).min(self.offset - len)
        } else {
            self.offset
        };
        let new_end = if key >= end {
            (key + MARGIN).max(end + len)
        } else {
            end
        };
        let mut counts = vec![0; (new_end - new_offset) as usize];
        let at = (self.offset - new_offset) as usize;
        counts[at..at + self.counts.len()].copy_from_slice(&self.counts);
        self.offset = new_offset;
        self.counts = counts;
    }

    fn merge(&mut self, other: &Buckets) {
        for (i, &c) in other.counts.iter().enumerate() {
            if c > 0 {
                self.add(other.offset + i as i64, c);
            }
        }
    }

    /// (key, count) of non-empty buckets in ascending key order.
    fn iter(&self) -> impl DoubleEndedIterator<Item = (i64, u64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(move |(i, c)| (self.offset + i as i64, u64::from(*c)))
    }
}

#[inline(always)]
fn key(magnitude: f64) -> i64 {
    (magnitude.to_bits() >> SHIFT) as i64
}

/// The midpoint of the bucket with `key`.
fn midpoint(key: i64) -> f64 {
    let lo = f64::from_bits((key as u64) << SHIFT);
    let hi = f64::from_bits(((key + 1) as u64) << SHIFT);
    0.5 * (lo + hi)
}

/// Smallest and largest of `values`, in four independent lanes of plain
/// comparisons, which vectorise; `f64::min` carries NaN rules in a chain
/// that measured a third of a run.
#[inline]
pub fn range(values: &[f64]) -> (f64, f64) {
    let mut lo = [f64::INFINITY; 4];
    let mut hi = [f64::NEG_INFINITY; 4];
    let mut quads = values.chunks_exact(4);
    for q in &mut quads {
        for l in 0..4 {
            lo[l] = if q[l] < lo[l] { q[l] } else { lo[l] };
            hi[l] = if q[l] > hi[l] { q[l] } else { hi[l] };
        }
    }
    for &x in quads.remainder() {
        lo[0] = if x < lo[0] { x } else { lo[0] };
        hi[0] = if x > hi[0] { x } else { hi[0] };
    }
    let min = |a: f64, b: f64| if b < a { b } else { a };
    let max = |a: f64, b: f64| if b > a { b } else { a };
    (
        min(min(lo[0], lo[1]), min(lo[2], lo[3])),
        max(max(hi[0], hi[1]), max(hi[2], hi[3])),
    )
}

/// Counts the leading values of `values` whose magnitude `sign × x` is at
/// least [`TINY`] and falls inside `b`'s buckets; returns how many.
#[inline(always)]
fn run(b: &mut Buckets, values: &[f64], sign: f64) -> usize {
    let (offset, counts) = (b.offset, &mut b.counts[..]);
    values
        .iter()
        .take_while(|&&x| {
            let m = sign * x;
            let i = (key(m) as u64).wrapping_sub(offset as u64);
            let inside = m >= TINY && i < counts.len() as u64;
            if inside {
                counts[i as usize] += 1;
            }
            inside
        })
        .count()
}

/// Counts of values in log-spaced buckets; see the module docs.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LogHistogram {
    pos: Buckets,
    neg: Buckets,
    zero: u64,
    count: u64,
    min: f64,
    max: f64,
}

impl Default for LogHistogram {
    fn default() -> Self {
        LogHistogram {
            pos: Buckets::default(),
            neg: Buckets::default(),
            zero: 0,
            count: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl LogHistogram {
    /// An empty histogram.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one value. NaN is counted as zero: the model never produces it,
    /// and a count must not be lost.
    #[inline(always)]
    pub fn insert(&mut self, x: f64) {
        self.insert_all(std::slice::from_ref(&x));
    }

    /// Adds every value of `values`. Cheaper per value than [`insert`]: the
    /// count is bumped once, not once a value (a read-modify-write chain
    /// through memory that measured 5 cycles a value).
    ///
    /// [`insert`]: LogHistogram::insert
    #[inline]
    pub fn insert_all(&mut self, values: &[f64]) {
        self.insert_ranged(values, range(values));
    }

    /// [`insert_all`] given the values' range (as [`range`] gives it), for
    /// a caller that has it already.
    ///
    /// [`insert_all`]: LogHistogram::insert_all
    #[inline]
    pub fn insert_ranged(&mut self, values: &[f64], (lo, hi): (f64, f64)) {
        self.count += values.len() as u64;
        self.min = self.min.min(lo);
        self.max = self.max.max(hi);
        // Mostly a block's values are all of one sign and above the floor:
        // then the keys of its extremes bound every key, the buckets are
        // made to cover them once, and each value costs a shift and an
        // increment, with no test of its own.
        if lo >= TINY {
            self.pos.cover(key(lo), key(hi));
            self.zero += self.pos.count_all(values, 1.0);
            return;
        }
        if hi <= -TINY {
            self.neg.cover(key(-hi), key(-lo));
            self.zero += self.neg.count_all(values, -1.0);
            return;
        }
        let mut rest = values;
        while !rest.is_empty() {
            // A block of both signs (profit near break-even) or reaching
            // below the floor: runs of one sign inside the buckets there
            // are, in a tight loop with the bucket array in registers.
            let taken = run(&mut self.pos, rest, 1.0);
            rest = &rest[taken..];
            let taken = run(&mut self.neg, rest, -1.0);
            rest = &rest[taken..];
            // Anything else, one value at a time.
            if let Some((&x, tail)) = rest.split_first() {
                if x >= TINY {
                    self.pos.add(key(x), 1);
                } else if x <= -TINY {
                    self.neg.add(key(-x), 1);
                } else {
                    self.zero += 1;
                }
                rest = tail;
            }
        }
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: &LogHistogram) {
        self.pos.merge(&other.pos);
        self.neg.merge(&other.neg);
        self.zero += other.zero;
        self.count += other.count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Number of values added.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Quantiles `qs` (ascending, in [0, 1]), each interpolated linearly
    /// between the order statistics at rank q (n - 1) as numpy's default
    /// does, with each order statistic read as its bucket's midpoint and
    /// kept within the observed minimum and maximum. Within
    /// [`RELATIVE_ERROR`] of the exact value (within [`TINY`] for smaller
    /// magnitudes). Time: O(buckets).
    pub fn quantiles(&self, qs: &[f64]) -> Vec<f64> {
        if self.count == 0 {
            return vec![f64::NAN; qs.len()];
        }
        // Ascending order: negatives from the largest magnitude, zero, positives.
        let ordered = self
            .neg
            .iter()
            .rev()
            .map(|(k, c)| (-midpoint(k), c))
            .chain((self.zero > 0).then_some((0.0, self.zero)))
            .chain(self.pos.iter().map(|(k, c)| (midpoint(k), c)));
        let cdf: Vec<(f64, u64)> = ordered
            .scan(0u64, |seen, (v, c)| {
                *seen += c;
                Some((v, *seen))
            })
            .collect();
        // The value of the order statistic with 0-based rank r.
        let at_rank = |r: u64| {
            cdf[cdf
                .partition_point(|&(_, seen)| seen <= r)
                .min(cdf.len() - 1)]
            .0
            .clamp(self.min, self.max)
        };
        let last = (self.count - 1) as f64;
        qs.iter()
            .map(|q| {
                let r = q.clamp(0.0, 1.0) * last;
                let lo = at_rank(r.floor() as u64);
                let hi = at_rank(r.ceil() as u64);
                lo + (r - r.floor()) * (hi - lo)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Type-7 quantiles by sorting: the oracle.
    fn exact(values: &[f64], q: f64) -> (f64, f64, f64) {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let r = q * (v.len() - 1) as f64;
        let (lo, hi) = (v[r.floor() as usize], v[r.ceil() as usize]);
        (lo + (r - r.floor()) * (hi - lo), lo, hi)
    }

    fn value() -> impl Strategy<Value = f64> {
        prop_oneof![
            (1e-3f64..1e9),
            (-1e9f64..-1e-3),
            Just(0.0),
            (0.5f64..2.0).prop_map(|x| x * 4.6e8),
        ]
    }

    proptest! {
        #[test]
        fn quantiles_are_within_half_a_bucket_of_the_exact_ones(values in prop::collection::vec(value(), 1..400)) {
            let mut h = LogHistogram::new();
            h.insert_all(&values);
            prop_assert_eq!(h.count(), values.len() as u64);
            let qs = [0.0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 1.0];
            for (q, got) in qs.iter().zip(h.quantiles(&qs)) {
                let (want, lo, hi) = exact(&values, *q);
                let bound = RELATIVE_ERROR * lo.abs().max(hi.abs()) * (1.0 + 1e-12);
                prop_assert!((got - want).abs() <= bound, "q {}: {} vs {} (bound {})", q, got, want, bound);
            }
        }

        #[test]
        fn merging_in_any_order_gives_the_same_quantiles(
            a in prop::collection::vec(value(), 0..100),
            b in prop::collection::vec(value(), 0..100),
            c in prop::collection::vec(value(), 1..100),
        ) {
            let of = |v: &[f64]| { let mut h = LogHistogram::new(); h.insert_all(v); h };
            let (ha, hb, hc) = (of(&a), of(&b), of(&c));
            let mut left = ha.clone();
            left.merge(&hb);
            left.merge(&hc);
            let mut right = hc.clone();
            right.merge(&hb);
            right.merge(&ha);
            let qs = [0.05, 0.5, 0.95];
            prop_assert_eq!(left.quantiles(&qs), right.quantiles(&qs));
            let all: Vec<f64> = a.iter().chain(&b).chain(&c).copied().collect();
            prop_assert_eq!(left.quantiles(&qs), of(&all).quantiles(&qs));
        }
    }

    #[test]
    fn nan_counts_as_zero_among_values_of_one_sign() {
        for sign in [1.0, -1.0] {
            let mut h = LogHistogram::new();
            h.insert_all(&[sign * 5.0, f64::NAN, sign * 7.0, sign * 6.0]);
            assert_eq!((h.count(), h.zero), (4, 1));
            // Ordered 0, 5, 6, 7 (or -7, -6, -5, 0): the median is between 5 and 6.
            let want = sign * 5.5;
            let got = h.quantiles(&[0.5])[0];
            assert!(
                (got - want).abs() <= 6.0 * RELATIVE_ERROR,
                "{got} vs {want}"
            );
        }
    }

    #[test]
    fn an_empty_histogram_has_no_quantiles() {
        assert!(LogHistogram::new().quantiles(&[0.5])[0].is_nan());
    }

    #[test]
    fn identical_values_give_that_value_exactly() {
        for x in [15_503_040.000_001, 0.519, -783_040.5, 3e-12, 0.0] {
            let mut h = LogHistogram::new();
            h.insert_all(&[x; 100]);
            assert_eq!(h.quantiles(&[0.05, 0.5, 0.95]), vec![x; 3]);
        }
    }

    #[test]
    fn quantiles_stay_within_the_observed_range() {
        let mut h = LogHistogram::new();
        let values: Vec<f64> = (0..1000).map(|i| 1e-300 * 10f64.powi(i % 290)).collect();
        h.insert_all(&values);
        let (lo, hi) = values
            .iter()
            .fold((f64::INFINITY, 0f64), |(a, b), &v| (a.min(v), b.max(v)));
        for q in h.quantiles(&[0.0, 0.05, 0.5, 0.95, 1.0]) {
            assert!((lo..=hi).contains(&q), "{q}");
        }
        // Tiny magnitudes do not span the octaves down to 1e-300.
        assert!(h.pos.counts.len() < 400_000, "{}", h.pos.counts.len());
    }
}
