//! Exact quantiles of per-trial values (annual revenue and profit, and the
//! funnel levels the monthly registrations and new payers scale), by radix
//! selection on their bits.
//!
//! Each f32 maps to a u32 key with the same order (sign flipped, negatives'
//! bits inverted). The ranks the quantiles need are found in three passes
//! over the values, 11, 11 and 10 bits of the key at a time: the first
//! counts the top 11 bits of every key; the second counts the next 11 bits
//! of the keys whose top bits hold a wanted rank; the third the last 10
//! bits of the keys whose top 22 bits do. That pins the key, and so the
//! value, of every wanted rank exactly. Three passes, no sorting and no
//! reordering, small count arrays (8 kB) that stay in cache, counts merged
//! in any order: the same result for any thread count.
//!
//! Written here because the standard library's `select_nth_unstable`
//! reorders the values and costs about ten times as much for seven
//! quantiles of a million values (`cargo bench --bench engine`,
//! `quantiles`), and no crate offers selection without reordering.

use rayon::prelude::*;

/// Values per parallel counting task.
const TASK: usize = 1 << 16;

/// The order-preserving key of `x` (NaN excluded: the engine never keeps one).
#[inline(always)]
fn key(x: f32) -> u32 {
    let b = x.to_bits();
    if b >> 31 == 1 { !b } else { b | 0x8000_0000 }
}

fn value(k: u32) -> f32 {
    f32::from_bits(if k >> 31 == 1 { k & 0x7FFF_FFFF } else { !k })
}

/// Adds two count arrays.
fn sum(mut a: Vec<u32>, b: Vec<u32>) -> Vec<u32> {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
    a
}

/// The first pass: counts of the top 11 bits of every key.
fn first_pass(v: &[f32]) -> Vec<u64> {
    v.par_chunks(TASK)
        .map(|c| {
            let mut h = vec![0u32; 1 << 11];
            for &x in c {
                h[(key(x) >> 21) as usize] += 1;
            }
            h
        })
        .reduce(|| vec![0u32; 1 << 11], sum)
        .into_iter()
        .map(u64::from)
        .collect()
}

/// A later pass: for the keys whose bits above `shift + width` equal one of
/// `prefixes`, counts of the `width` bits at `shift`, one array of
/// `1 << width` per prefix.
fn pass(v: &[f32], prefixes: &[u32], shift: u32, width: u32) -> Vec<Vec<u64>> {
    let buckets = 1usize << width;
    let top = shift + width;
    // Most keys belong to no wanted prefix: a table of the top 11 bits turns
    // them away before the few wanted prefixes are compared. A prefix holds
    // the key's bits above `top`, the first 11 of which index the table.
    let mut wanted = vec![false; 1 << 11];
    for p in prefixes {
        wanted[(p >> (21 - top)) as usize] = true;
    }
    let size = prefixes.len() * buckets;
    v.par_chunks(TASK)
        .map(|c| {
            let mut h = vec![0u32; size];
            for &x in c {
                let k = key(x);
                if wanted[(k >> 21) as usize]
                    && let Some(s) = prefixes.iter().position(|p| *p == k >> top)
                {
                    h[s * buckets + ((k >> shift) as usize & (buckets - 1))] += 1;
                }
            }
            h
        })
        .reduce(|| vec![0u32; size], sum)
        .chunks(buckets)
        .map(|c| c.iter().map(|x| u64::from(*x)).collect())
        .collect()
}

/// The bucket holding 0-based rank `r` of `counts`, and the rank within it.
fn locate(counts: &[u64], r: u64) -> (u32, u64) {
    let mut seen = 0;
    for (b, &c) in counts.iter().enumerate() {
        if r < seen + c {
            return (b as u32, r - seen);
        }
        seen += c;
    }
    (counts.len() as u32 - 1, 0)
}

/// The values of the 0-based ranks `ranks` of `v`.
fn order_statistics(v: &[f32], ranks: &[u64]) -> Vec<f32> {
    // (prefix of the key found so far, rank within the keys with it)
    let top = first_pass(v);
    let mut found: Vec<(u32, u64)> = ranks.iter().map(|&r| locate(&top, r)).collect();
    for (shift, width) in [(10u32, 11u32), (0, 10)] {
        let mut prefixes: Vec<u32> = found.iter().map(|f| f.0).collect();
        prefixes.sort_unstable();
        prefixes.dedup();
        let counts = pass(v, &prefixes, shift, width);
        for f in &mut found {
            let slot = prefixes.binary_search(&f.0).expect("a prefix counted");
            let (b, within) = locate(&counts[slot], f.1);
            *f = ((f.0 << width) | b, within);
        }
    }
    found.into_iter().map(|(k, _)| value(k)).collect()
}

/// Quantiles `qs` (each in [0, 1]) of `v`, interpolated linearly between the
/// order statistics at rank q (n - 1): numpy's default ("linear", Hyndman
/// and Fan type 7). NaN for an empty slice. `v` must hold no NaN.
///
/// Time: O(n) in three parallel passes, whatever the values.
pub fn exact_quantiles(v: &[f32], qs: &[f64]) -> Vec<f64> {
    if v.is_empty() {
        return vec![f64::NAN; qs.len()];
    }
    let last = (v.len() - 1) as f64;
    let positions: Vec<f64> = qs.iter().map(|q| q.clamp(0.0, 1.0) * last).collect();
    let mut ranks: Vec<u64> = positions
        .iter()
        .flat_map(|r| [r.floor() as u64, r.ceil() as u64])
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    let stats = order_statistics(v, &ranks);
    let at = |r: u64| f64::from(stats[ranks.binary_search(&r).expect("asked for")]);
    positions
        .iter()
        .map(|r| {
            let (lo, hi) = (at(r.floor() as u64), at(r.ceil() as u64));
            lo + (r - r.floor()) * (hi - lo)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn selection_equals_interpolation_on_the_sorted_values(
            values in prop::collection::vec(-1e6f32..1e6, 1..300),
        ) {
            let mut sorted = values.clone();
            sorted.sort_by(f32::total_cmp);
            let qs = [0.0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 1.0];
            let got = exact_quantiles(&values, &qs);
            for (q, g) in qs.iter().zip(got) {
                let r = q * (sorted.len() - 1) as f64;
                let (lo, hi) = (sorted[r.floor() as usize] as f64, sorted[r.ceil() as usize] as f64);
                let want = lo + (r - r.floor()) * (hi - lo);
                prop_assert!((g - want).abs() <= 1e-9 * want.abs().max(1.0), "q {}: {} vs {}", q, g, want);
            }
        }
    }

    #[test]
    fn keys_keep_the_order_of_the_values() {
        let xs = [-f32::MAX, -1.5, -0.0, 0.0, 1e-40, 2.0, f32::MAX];
        for w in xs.windows(2) {
            assert!(key(w[0]) <= key(w[1]), "{:?}", w);
            assert_eq!(value(key(w[1])).to_bits(), w[1].to_bits());
        }
    }

    #[test]
    fn quantiles_out_of_order_and_repeated_values_are_right() {
        let v: Vec<f32> = (0..101).map(|i| i as f32).collect();
        assert_eq!(
            exact_quantiles(&v, &[0.9, 0.1, 0.5]),
            vec![90.0, 10.0, 50.0]
        );
        let same = vec![3.25f32; 200_000];
        assert_eq!(exact_quantiles(&same, &[0.05, 0.95]), vec![3.25, 3.25]);
    }
}
