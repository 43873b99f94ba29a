//! Diminishing returns on marketing: the factor `(budget / reference)^-E`
//! by which a month's spend multiplies its registrations, for a block of
//! trials at once.
//!
//! It is `exp(-E × ln(budget / reference))`, one exponential a
//! trial-month, and glibc's `exp`, one value at a time (4 to 5 ns each),
//! was the largest cost a drawn elasticity added to a run. So the
//! exponential is kpisim's branch-free one (src/distr/fastmath.rs)
//! over the block, compiled for AVX2 (four values an instruction), chosen
//! at run time where the CPU has it, and for any x86-64 or other target:
//! the same bits either way.

use crate::distr::fastmath::{by_cpu, exp};

by_cpu! {
    /// `out[t] = exp(-e[t] × log_spend)` for every `t` of `out` (`e` at
    /// least as long); `e[t] × log_spend` must lie within ±700 (validation
    /// bounds an elasticity to [0, 1) and a budget's ratio to its reference
    /// far inside that).
    pub fn spend_factors / spend_factors_on(e: &[f64], log_spend: f64, out: &mut [f64]) {
        let e = &e[..out.len()];
        for (o, &x) in out.iter_mut().zip(e) {
            *o = exp(-x * log_spend);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distr::fastmath::Cpu;

    #[test]
    fn factors_are_the_same_for_every_instruction_set() {
        let e: Vec<f64> = (0..1_003).map(|i| i as f64 / 1_003.0).collect();
        for ratio in [1e-3, 0.37, 1.0, 2.5, 1e3] {
            let ls = f64::ln(ratio);
            let mut plain = vec![0.0; e.len()];
            spend_factors_on(Cpu::Any, &e, ls, &mut plain);
            for cpu in [Cpu::Avx2].into_iter().filter(|c| c.here()) {
                let mut wide = vec![0.0; e.len()];
                spend_factors_on(cpu, &e, ls, &mut wide);
                assert_eq!(plain, wide, "ratio {ratio}, {cpu:?}");
            }
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
