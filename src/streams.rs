//! Random streams: one per trial and uncertain input.
//!
//! Trial t of a run with seed s has the key `mix(s + mix(t + 1))`, where
//! `mix` is SplitMix64's finaliser (a bijection of u64). Input i of that
//! trial draws from a SplitMix64 generator whose state is
//! `mix(key ^ mix(i + 1))`. So:
//! - results never depend on which thread runs a trial, or on the chunking;
//! - changing one input's distribution (a stress case, a sweep step) leaves
//!   every other input's draws untouched, trial by trial: common random
//!   numbers, so that differences between cases come from the case and not
//!   from sampling noise.
//!
//! SplitMix64 (rand_xoshiro's, a named algorithm that cannot change under
//! us, unlike `StdRng` or `SmallRng`) passes BigCrush and is seeded by
//! setting its state, which costs nothing; a trial's streams are a few
//! draws long, and states are 64-bit hashes, so overlapping streams are
//! vanishingly unlikely.

use rand::SeedableRng;
use rand_xoshiro::SplitMix64;

/// The generator every input draws from.
pub type EngineRng = SplitMix64;

/// SplitMix64's output function: a bijective 64-bit mixer.
#[inline(always)]
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The key of trial `trial` (0-based, over the whole run) with seed `seed`.
#[inline(always)]
pub fn trial_key(seed: u64, trial: u64) -> u64 {
    mix(seed.wrapping_add(mix(trial.wrapping_add(1))))
}

/// The salt of input `input` (its position in the draw order).
pub fn input_salt(input: usize) -> u64 {
    mix(input as u64 + 1)
}

/// The stream of the input with `salt` in the trial with `key`.
#[inline(always)]
pub fn input_rng(key: u64, salt: u64) -> EngineRng {
    EngineRng::seed_from_u64(mix(key ^ salt))
}

/// A stream for tests and benchmarks: input 0 of trial `index`.
pub fn stream(seed: u64, index: u64) -> EngineRng {
    input_rng(trial_key(seed, index), input_salt(0))
}
