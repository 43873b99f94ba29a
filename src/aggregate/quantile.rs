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
