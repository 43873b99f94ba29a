//! Random streams: one named generator per chunk of trials.
//!
//! Xoshiro256++ (rand_xoshiro) rather than `StdRng` or `SmallRng`, whose
//! algorithms may change in any rand release and with them every result.
//! Chunk k of a run with seed s gets the stream seeded from
//! `mix(s + mix(k + 1))`, where `mix` is SplitMix64's finaliser; the
//! generator expands that key to its 256-bit state with SplitMix64. Seeding
//! costs a few ns, unlike `jump` (about 370 µs).

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator the engine uses.
pub type EngineRng = Xoshiro256PlusPlus;

/// SplitMix64's output function: a bijective 64-bit mixer.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator of chunk `chunk` in a run with seed `seed`.
pub fn chunk_rng(seed: u64, chunk: u64) -> EngineRng {
    EngineRng::seed_from_u64(mix(seed.wrapping_add(mix(chunk.wrapping_add(1)))))
}
