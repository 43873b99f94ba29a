//! Diminishing returns on marketing: the factor `(budget / reference)^-E`
//! by which a month's spend multiplies its registrations, for a block of
//! trials at once.
//!
//! It is `exp(-E × ln(budget / reference))`, one exponential a
//! trial-month, and glibc's `exp`, one value at a time (4 to 5 ns each),
//! was the largest cost a drawn elasticity added to a run. So the
//! exponential is computed here, branch-free, over the block: Cody-Waite
//! reduction to `r` in [-ln 2 / 2, ln 2 / 2], `exp(r)` by its Taylor
//! polynomial to degree 13 (truncation below 1e-17) evaluated by Estrin's
//! scheme (a tree of depth 4, not a chain of 13 steps: 1.57 -> 1.33 ns a
//! value, measured), times 2^n built in the exponent bits. Written once and compiled twice: for AVX2 (four
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
    // Estrin's scheme: the terms pair up in a tree of depth 4 rather than
    // a chain of 13 multiply-adds, so that a block's values overlap.
    let c = &INV_FACT;
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    let q0 = c[0] + c[1] * r;
    let q1 = c[2] + c[3] * r;
    let q2 = c[4] + c[5] * r;
    let q3 = c[6] + c[7] * r;
    let q4 = c[8] + c[9] * r;
    let q5 = c[10] + c[11] * r;
    let q6 = c[12] + (1.0 / 6_227_020_800.0) * r;
    let s0 = q0 + q1 * r2;
    let s1 = q2 + q3 * r2;
    let s2 = q4 + q5 * r2;
    let u0 = s0 + s1 * r4;
    let u1 = s2 + q6 * r4;
    let p = u0 + u1 * r8;
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
