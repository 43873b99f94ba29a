//! Exact quantiles of the annual figures.

/// Quantiles `qs` (ascending, in [0, 1]) of `v`, interpolated linearly
/// between the order statistics at rank q (n - 1): numpy's default
/// ("linear", Hyndman and Fan type 7). Reorders `v`.
///
/// Time: O(n) per quantile on a shrinking slice (`select_nth_unstable`), no
/// full sort.
pub fn exact_quantiles(v: &mut [f32], qs: &[f64]) -> Vec<f64> {
    if v.is_empty() {
        return vec![f64::NAN; qs.len()];
    }
    let last = (v.len() - 1) as f64;
    // After selecting rank k, everything from k on is >= v[k], so later
    // (larger) ranks are selected within v[k..].
    let mut from = 0;
    qs.iter()
        .map(|q| {
            let r = q.clamp(0.0, 1.0) * last;
            let lo = r.floor() as usize;
            if lo < from {
                from = 0; // qs not ascending: search the whole slice again
            }
            let (_, x, right) = v[from..].select_nth_unstable_by(lo - from, f32::total_cmp);
            let x = *x as f64;
            let next = if r > lo as f64 {
                right.iter().copied().fold(f32::INFINITY, f32::min) as f64
            } else {
                x
            };
            from = lo;
            x + (r - lo as f64) * (next - x)
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
            let mut v = values.clone();
            let got = exact_quantiles(&mut v, &qs);
            for (q, g) in qs.iter().zip(got) {
                let r = q * (sorted.len() - 1) as f64;
                let (lo, hi) = (sorted[r.floor() as usize] as f64, sorted[r.ceil() as usize] as f64);
                let want = lo + (r - r.floor()) * (hi - lo);
                prop_assert!((g - want).abs() <= 1e-9 * want.abs().max(1.0), "q {}: {} vs {}", q, g, want);
            }
        }
    }

    #[test]
    fn quantiles_out_of_order_are_still_right() {
        let mut v: Vec<f32> = (0..101).map(|i| i as f32).collect();
        assert_eq!(
            exact_quantiles(&mut v, &[0.9, 0.1, 0.5]),
            vec![90.0, 10.0, 50.0]
        );
    }
}
