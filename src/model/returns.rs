//! Diminishing returns on marketing: the factor `(budget / reference)^-E`
//! by which a month's spend multiplies its registrations, for a block of
//! trials at once.
//!
//! It is `exp(-E × ln(budget / reference))`, one exponential a
//! trial-month, and glibc's `exp`, one value at a time (4 to 5 ns each),
//! was the largest cost a drawn elasticity added to a run. So the
//! exponential is computed here, branch-free, over the block: Cody-Waite
//! reduction to `r` in [-ln 2 / 2, ln 2 / 2], `exp(r)` by its Taylor
//! polynomial to degree 13 (truncation below 1e-17), times 2^n built in
//! the exponent bits. Written once and compiled twice: for AVX2 (four
//! values an instruction), chosen at run time where the CPU has it, and
//! for any x86-64 or other target. Neither uses fused multiply-add, so
//! both give the same bits: results do not depend on the machine. No crate
//! met this (measured): `wide`'s `f64x4::exp` was no faster than glibc
//! without AVX, and libm's is one value at a time.

/// `out[t] = exp(-e[t] × log_spend)` for every `t` of `out` (`e` at least
/// as long); `e[t] × log_spend` must lie within ±700 (validation bounds
/// an elasticity to [0, 1) and a budget's ratio to its reference far
/// inside that).
pub fn spend_factors(e: &[f64], log_spend: f64, out: &mut [f64]) {
    let e = &e[..out.len()];
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked on the line above.
        unsafe { factors_avx2(e, log_spend, out) };
        return;
    }
    factors(e, log_spend, out);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn factors_avx2(e: &[f64], log_spend: f64, out: &mut [f64]) {
    factors(e, log_spend, out);
}

#[inline(always)]
fn factors(e: &[f64], log_spend: f64, out: &mut [f64]) {
    for (o, &x) in out.iter_mut().zip(e) {
        *o = exp(-x * log_spend);
    }
}

/// e^x for |x| <= 700, within a few units in the last place; see the
/// module docs.
#[inline(always)]
fn exp(x: f64) -> f64 {
    const LOG2_E: f64 = std::f64::consts::LOG2_E;
    // ln 2 split as fdlibm splits it, so that n × LN2_HI is exact for
    // |n| < 2^11.
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    // Adding 1.5 × 2^52 rounds to an integer held in the low mantissa bits.
    const ROUND: f64 = 6_755_399_441_055_744.0;
    let t = x * LOG2_E + ROUND;
    let n = t - ROUND;
    let r = (x - n * LN2_HI) - n * LN2_LO;
    let mut p = 1.0 / 6_227_020_800.0;
    for k in (1..=12).rev() {
        p = p * r + INV_FACT[k];
    }
    let p = p * r + 1.0;
    let bits = (t.to_bits().wrapping_sub(ROUND.to_bits()).wrapping_add(1023)) << 52;
    p * f64::from_bits(bits)
}

/// 1 / k! for k = 0..=12.
const INV_FACT: [f64; 13] = [
    1.0,
    1.0,
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5_040.0,
    1.0 / 40_320.0,
    1.0 / 362_880.0,
    1.0 / 3_628_800.0,
    1.0 / 39_916_800.0,
    1.0 / 479_001_600.0,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_is_within_a_few_ulp_of_glibc() {
        let mut worst: f64 = 0.0;
        for i in -70_000..=70_000 {
            let x = i as f64 / 100.0 + 0.003_7;
            let (got, want) = (exp(x), x.exp());
            worst = worst.max(((got - want) / want).abs());
        }
        assert!(
            worst <= 4.0 * f64::EPSILON,
            "worst relative error {worst:e}"
        );
    }

    #[test]
    fn factors_are_the_same_with_and_without_avx2() {
        let e: Vec<f64> = (0..1_003).map(|i| i as f64 / 1_003.0).collect();
        for ratio in [1e-3, 0.37, 1.0, 2.5, 1e3] {
            let ls = f64::ln(ratio);
            let mut plain = vec![0.0; e.len()];
            factors(&e, ls, &mut plain);
            let mut dispatched = vec![0.0; e.len()];
            spend_factors(&e, ls, &mut dispatched);
            assert_eq!(plain, dispatched, "ratio {ratio}");
            for (x, y) in e.iter().zip(&plain) {
                let want = (-x * ls).exp();
                assert!(((y - want) / want).abs() <= 4.0 * f64::EPSILON);
            }
        }
    }

    #[test]
    fn no_spend_change_is_a_factor_of_one() {
        let mut out = [0.0; 5];
        spend_factors(&[0.0, 0.2, 0.5, 0.9, 0.99], 0.0, &mut out);
        assert_eq!(out, [1.0; 5]);
    }
}
