//! Random streams: two per trial and uncertain input, named by the input's
//! path.
//!
//! Trial t of a run with seed s has the key `mix(s + mix(t + 1))`, where
//! `mix` is SplitMix64's finaliser (a bijection of u64). The input with path
//! P (`segments.big_r.arpu`) has the salt `mix(fnv1a(P))`; in a trial it
//! draws its level D from a SplitMix64 generator whose state is
//! `mix(key ^ salt)`, and its monthly noise from one whose state is
//! `mix(key ^ mix(salt ^ NOISE))`. So:
//! - results never depend on which thread runs a trial, or on the chunking;
//! - changing one input's distribution (a stress case, a sweep step) leaves
//!   every other input's draws untouched, trial by trial: common random
//!   numbers, so that differences between cases come from the case and not
//!   from sampling noise;
//! - holding an input's D fixed (`sensitivity`) leaves its noise as it was;
//! - reordering the segments or inputs of a file changes no draw.
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

/// What the noise stream's salt is mixed with.
const NOISE: u64 = 0x6E6F_6973_6521_2121;

/// FNV-1a, 64 bits: a fixed, documented hash of a path's bytes.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// The salt of the input with `path` (`acquisition.cost_per_registration`).
pub fn input_salt(path: &str) -> u64 {
    mix(fnv1a(path.as_bytes()))
}

/// The salt of the noise stream of the input with salt `salt`.
pub fn noise_salt(salt: u64) -> u64 {
    mix(salt ^ NOISE)
}

/// The stream of the input with `salt` in the trial with `key`.
#[inline(always)]
pub fn input_rng(key: u64, salt: u64) -> EngineRng {
    EngineRng::seed_from_u64(mix(key ^ salt))
}

/// A stream for tests and benchmarks: the cost per registration's in trial
/// `index`.
pub fn stream(seed: u64, index: u64) -> EngineRng {
    input_rng(
        trial_key(seed, index),
        input_salt("acquisition.cost_per_registration"),
    )
}
