//! `exp` and `ln` written to run over a block of values at once, for the
//! two places where glibc's, one value at a time behind a call, was the
//! largest cost of a model's addition: the spend elasticity's factor (one
//! exp a trial-month) and a bounded metalog's draw (one ln and one exp a
//! draw).
//!
//! Both are branch-free, so that a loop over a block vectorises; each
//! caller's loop is compiled twice by [`by_cpu!`]: for AVX2 (chosen at run
//! time where the CPU has it) and for any x86-64 or other target. Neither
//! uses fused multiply-add, so both compilations give the same bits:
//! results do not depend on the machine. No crate met this (measured):
//! `wide`'s `f64x4::exp` was no faster than glibc without AVX, and libm's
//! functions are one value at a time.
//!
//! - [`exp`]: Cody-Waite reduction to `r` in [-ln 2 / 2, ln 2 / 2],
//!   `exp(r)` by its Taylor polynomial to degree 13 (truncation below
//!   1e-17) evaluated by Estrin's scheme (a tree of depth 4, not a chain of
//!   13 steps: 1.57 -> 1.33 ns a value, measured), times 2^n built in the
//!   exponent bits.
//! - [`ln`]: fdlibm's `__ieee754_log` (x = 2^k (1 + f) with 1 + f in
//!   [√2/2, √2), s = f / (2 + f), ln(1 + f) = 2 atanh(s) by its minimax
//!   polynomial in s², error below 2^-58.45), with its one formula for
//!   every f and none of its branches for zero, negative, subnormal or
//!   infinite arguments, which its callers never pass.

/// An instruction set a loop is compiled for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cpu {
    /// Any target: SSE2 on x86-64.
    Any,
    /// AVX2, four values an instruction.
    Avx2,
}

impl Cpu {
    /// Whether this CPU runs code compiled for `self`.
    pub(crate) fn here(self) -> bool {
        #[cfg(target_arch = "x86_64")]
        return match self {
            Cpu::Any => true,
            Cpu::Avx2 => std::arch::is_x86_feature_detected!("avx2"),
        };
        #[cfg(not(target_arch = "x86_64"))]
        return self == Cpu::Any;
    }

    /// The widest this CPU has.
    #[inline]
    pub(crate) fn best() -> Cpu {
        if Cpu::Avx2.here() {
            Cpu::Avx2
        } else {
            Cpu::Any
        }
    }
}

/// `fn $name / $on(args) body` defines `fn $name(args)`, which runs `body`
/// compiled for the widest [`Cpu`] this one has, and `fn $on(cpu, args)`,
/// compiled for `cpu` (for tests: every compilation gives the same bits).
/// A loop over a block of [`exp`] or [`ln`] then runs 4 values an
/// instruction: measured, 1.47 ns an exp with AVX2, 2.76 with SSE2.
/// (AVX-512 gave 1.09 ns in a tight loop but made a whole run slower:
/// short bursts of 512-bit instructions among scalar code cost more than
/// they save.) The body is a nested function, not a closure, because a
/// closure passed into a `#[target_feature]` function was not inlined
/// there and its loop stayed scalar.
macro_rules! by_cpu {
    ($(#[$doc:meta])* $vis:vis fn $name:ident / $on:ident($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)? $body:block) => {
        $(#[$doc])*
        #[inline]
        $vis fn $name($($arg: $ty),*) $(-> $ret)? {
            $on($crate::distr::fastmath::Cpu::best(), $($arg),*)
        }

        /// The same, compiled for `cpu`, which this CPU must have
        /// ([`Cpu::here`](crate::distr::fastmath::Cpu::here)); the
        /// portable compilation where it has not.
        $vis fn $on(cpu: $crate::distr::fastmath::Cpu, $($arg: $ty),*) $(-> $ret)? {
            #[inline(always)]
            fn body($($arg: $ty),*) $(-> $ret)? $body
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx2")]
                fn avx2($($arg: $ty),*) $(-> $ret)? {
                    body($($arg),*)
                }
                if cpu == $crate::distr::fastmath::Cpu::Avx2 && cpu.here() {
                    // SAFETY: the CPU has AVX2, checked on the line above.
                    return unsafe { avx2($($arg),*) };
                }
            }
            body($($arg),*)
        }
    };
}
pub(crate) use by_cpu;

/// Adding 1.5 × 2^52 rounds to an integer held in the low mantissa bits.
const ROUND: f64 = 6_755_399_441_055_744.0;

/// ln 2 split as fdlibm splits it, so that n × LN2_HI is exact for
/// |n| < 2^11.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);

/// e^x, within a few units in the last place of glibc's for x in
/// [-708, 709]; outside, x is taken as the nearer end (finite results, as
/// tiny or as huge as a normal double gets).
#[inline(always)]
pub(crate) fn exp(x: f64) -> f64 {
    let x = x.clamp(-708.0, 709.0);
    let t = x * std::f64::consts::LOG2_E + ROUND;
    let n = t - ROUND;
    let r = (x - n * LN2_HI) - n * LN2_LO;
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
    let q6 = c[12] + c[13] * r;
    let s0 = q0 + q1 * r2;
    let s1 = q2 + q3 * r2;
    let s2 = q4 + q5 * r2;
    let u0 = s0 + s1 * r4;
    let u1 = s2 + q6 * r4;
    let p = u0 + u1 * r8;
    let bits = (t.to_bits().wrapping_sub(ROUND.to_bits()).wrapping_add(1023)) << 52;
    p * f64::from_bits(bits)
}

/// 1 / k! for k = 0..=13.
const INV_FACT: [f64; 14] = [
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
    1.0 / 6_227_020_800.0,
];

/// fdlibm's coefficients of ln(1 + f) = f - f²/2 + s (f²/2 + R(s²)).
const LG: [f64; 7] = [
    6.666_666_666_666_735e-1,
    3.999_999_999_940_942e-1,
    2.857_142_874_366_239e-1,
    2.222_219_843_214_978_4e-1,
    1.818_357_216_161_805e-1,
    1.531_383_769_920_937_3e-1,
    1.479_819_860_511_658_6e-1,
];

/// ln x for a positive, finite, normal x (at least 2^-1022), within a unit
/// in the last place or two of glibc's; see the module docs.
#[inline(always)]
pub(crate) fn ln(x: f64) -> f64 {
    let bits = x.to_bits();
    let hx = bits >> 32;
    let mantissa = hx & 0x000f_ffff;
    // Whether 1 + f >= √2: then x / 2 is kept, one more power of 2.
    let half = (mantissa + 0x95f64) & 0x10_0000;
    let k = (hx >> 20) as i64 - 1023 + (half >> 20) as i64;
    let hi = mantissa | (half ^ 0x3ff0_0000);
    let f = f64::from_bits((hi << 32) | (bits & 0xffff_ffff)) - 1.0;
    // k as a double by the rounding constant, which vectorises where a
    // conversion from a 64-bit integer does not (AVX2 has none).
    let dk = f64::from_bits((k as u64).wrapping_add(ROUND.to_bits())) - ROUND;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG[1] + w * (LG[3] + w * LG[5]));
    let t2 = z * (LG[0] + w * (LG[2] + w * (LG[4] + w * LG[6])));
    let r = t2 + t1;
    let hfsq = 0.5 * f * f;
    dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative distance in units of f64::EPSILON.
    fn ulps(got: f64, want: f64) -> f64 {
        ((got - want) / want).abs() / f64::EPSILON
    }

    #[test]
    fn exp_is_within_a_few_ulp_of_glibc() {
        let mut worst: f64 = 0.0;
        for i in -70_800..=70_900 {
            let x = i as f64 / 100.0 + 0.003_7;
            if x.abs() <= 708.0 {
                worst = worst.max(ulps(exp(x), x.exp()));
            }
        }
        assert!(worst <= 4.0, "worst {worst} ulp");
        assert_eq!(exp(0.0), 1.0);
    }

    #[test]
    fn exp_stays_finite_beyond_its_range() {
        assert_eq!(exp(1e6), exp(709.0));
        assert!(exp(1e6).is_finite() && exp(1e6) > 8e307);
        assert_eq!(exp(-1e6), exp(-708.0));
        assert!(exp(-1e6) > 0.0);
    }

    #[test]
    fn ln_is_within_a_unit_or_two_of_glibc() {
        let mut worst: f64 = 0.0;
        // Every binade a logit reaches, densely near 1 (where ln is near 0
        // and its relative error largest).
        let mut x = 1e-300;
        while x < 1e300 {
            for y in [x, x * 1.000_001, x * 1.414, x * 1.415, x * 1.999_999] {
                worst = worst.max(ulps(ln(y), y.ln()));
            }
            x *= 1.07;
        }
        for i in 1..200_000 {
            let y = 1.0 + (i as f64 - 100_000.0) * 3.3e-6;
            if y != 1.0 {
                worst = worst.max(ulps(ln(y), y.ln()));
            }
        }
        assert!(worst <= 2.0, "worst {worst} ulp");
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(ln(2.0), std::f64::consts::LN_2);
    }
}
