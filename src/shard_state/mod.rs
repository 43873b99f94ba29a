//! The shard state file ("part"): what `kpisim run --shard K/M --state-out
//! PART` writes and `kpisim merge` reads.
//!
//! A part is
//!
//! ```text
//! "KPISIMPT"  format (u32 LE)  length (u64 LE)  payload  SHA-256(payload)
//! ```
//!
//! where the payload is [postcard](https://docs.rs/postcard) (serde's
//! compact binary encoding, with a stable, documented wire format since
//! 1.0) of a [`PartHeader`] followed by the engine's
//! [`ShardState`]. The header comes first and
//! decodes on its own, so that a part of another kpisim version is refused
//! as such rather than as corrupt. The length catches a truncated file and
//! the checksum a corrupt one, before anything is decoded: a part is
//! merged whole and intact, or not at all. `FORMAT` changes whenever the
//! header's layout does; the state's layout is tied to the kpisim version,
//! which every part of a merge must share.
//!
//! The header carries the scenario file's bytes, so that the merge needs
//! nothing but the parts.

mod error;

pub use error::PartError;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::engine::{ChunkShare, Sampling, ShardState};

/// The first bytes of every part.
pub const MAGIC: &[u8; 8] = b"KPISIMPT";

/// The layout of the framing and the header this kpisim writes and reads.
pub const FORMAT: u32 = 1;

/// Bytes before the payload: magic, format, length.
const PREFIX: usize = 8 + 4 + 8;
/// Bytes of the checksum after it.
const CHECKSUM: usize = 32;

/// What a part says about the run it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartHeader {
    /// The kpisim version that wrote it.
    pub kpisim: String,
    /// SHA-256 of the scenario file's bytes, hex.
    pub scenario_sha256: String,
    /// The scenario file as named on the shard's command line.
    pub file: String,
    /// The scenario file's bytes.
    pub scenario: Vec<u8>,
    /// The whole run's seed (`--seed`), the same in every part.
    pub seed: u64,
    /// The whole run's trials (`--trials`), not this shard's.
    pub trials: u64,
    /// How the run drew its inputs: `mc` or `lhs`.
    pub sampling: String,
    /// Which shard, from 0: K of `--shard K/M`.
    pub shard: u64,
    /// How many shards the run is split into: M of `--shard K/M`.
    pub shards: u64,
}

impl PartHeader {
    /// The share of the run's chunks this part holds.
    pub fn share(&self) -> ChunkShare {
        ChunkShare {
            index: self.shard,
            count: self.shards,
        }
    }

    /// What every part of one run shares, named as a refusal names it.
    fn run(&self) -> [(&'static str, String); 5] {
        [
            ("scenario_sha256", self.scenario_sha256.clone()),
            ("seed", self.seed.to_string()),
            ("trials", self.trials.to_string()),
            ("sampling", self.sampling.clone()),
            ("shard count", self.shards.to_string()),
        ]
    }

    /// How the run drew its inputs.
    pub fn sampling(&self) -> Sampling {
        if self.sampling == "lhs" {
            Sampling::LatinHypercube
        } else {
            Sampling::MonteCarlo
        }
    }
}

/// The name a header gives `sampling`.
pub fn sampling_name(s: Sampling) -> &'static str {
    match s {
        Sampling::MonteCarlo => "mc",
        Sampling::LatinHypercube => "lhs",
    }
}

/// A part read back: its header and its shard's state.
#[derive(Debug)]
pub struct Part {
    /// The file as named.
    pub file: String,
    /// What run it belongs to.
    pub header: PartHeader,
    /// Its shard's state: per-trial values, histogram counts, chunk sums.
    pub state: ShardState,
}

/// The bytes of a part, encoded in place (a shard's state is hundreds of
/// megabytes: no second copy of it).
pub fn encode(header: &PartHeader, state: &ShardState) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(PREFIX + state.trials as usize * 16 + (1 << 20));
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT.to_le_bytes());
    bytes.extend_from_slice(&[0; 8]);
    let bytes = postcard::to_extend(header, bytes).expect("a header always encodes");
    let mut bytes = postcard::to_extend(state, bytes).expect("a shard state always encodes");
    let len = (bytes.len() - PREFIX) as u64;
    bytes[12..PREFIX].copy_from_slice(&len.to_le_bytes());
    let sum = Sha256::digest(&bytes[PREFIX..]);
    bytes.extend_from_slice(&sum);
    bytes
}

/// Reads the part at `path`.
pub fn read(path: &Path) -> Result<Part, PartError> {
    let file = path.display().to_string();
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| PartError::Unreadable {
            file: file.clone(),
            error: e.to_string(),
        })?;
    decode(&file, &bytes)
}

/// Decodes the bytes of a part read from `file`: refused unless whole,
/// intact and written by this kpisim.
pub fn decode(file: &str, bytes: &[u8]) -> Result<Part, PartError> {
    let file = file.to_string();
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(PartError::NotAPart { file });
    }
    let truncated = |expected: u64| PartError::Truncated {
        file: file.clone(),
        bytes: bytes.len() as u64,
        expected,
    };
    if bytes.len() < PREFIX {
        return Err(truncated(PREFIX as u64));
    }
    let format = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if format != FORMAT {
        return Err(PartError::Format {
            file,
            found: format,
            supported: FORMAT,
        });
    }
    let len = u64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes"));
    let expected = len.saturating_add((PREFIX + CHECKSUM) as u64);
    if bytes.len() as u64 != expected {
        return Err(truncated(expected));
    }
    let payload = &bytes[PREFIX..PREFIX + len as usize];
    if Sha256::digest(payload).as_slice() != &bytes[PREFIX + len as usize..] {
        return Err(PartError::Corrupt {
            file,
            why: "its checksum does not match its contents".into(),
        });
    }
    let corrupt = |what: &str, e: postcard::Error| PartError::Corrupt {
        file: file.clone(),
        why: format!("its {what} does not decode ({e})"),
    };
    let (header, rest): (PartHeader, &[u8]) =
        postcard::take_from_bytes(payload).map_err(|e| corrupt("header", e))?;
    if header.kpisim != crate::VERSION {
        return Err(PartError::Version {
            file,
            found: header.kpisim,
            ours: crate::VERSION.to_string(),
        });
    }
    let state: ShardState = postcard::from_bytes(rest).map_err(|e| corrupt("shard state", e))?;
    let share = header.share();
    let trials = share.trials(header.trials);
    if header.shards == 0
        || header.shard >= header.shards
        || state.first != trials.start
        || state.trials != trials.end - trials.start
    {
        return Err(PartError::Shape {
            file,
            why: format!(
                "shard {}/{} of {} trials holds trials {}..{}",
                header.shard,
                header.shards,
                header.trials,
                state.first,
                state.first + state.trials
            ),
        });
    }
    Ok(Part {
        file,
        header,
        state,
    })
}

/// The parts of one run in shard order, or why they are not: parts of
/// different runs, the same shard twice, shards missing.
pub fn of_one_run(parts: Vec<Part>) -> Result<Vec<Part>, PartError> {
    let first = &parts[0];
    for p in &parts[1..] {
        let ours = p.header.run();
        let differs = first
            .header
            .run()
            .into_iter()
            .zip(ours)
            .find(|(a, b)| a != b);
        if let Some(((what, expected), (_, found))) = differs {
            return Err(PartError::Mismatch {
                file: p.file.clone(),
                what,
                found,
                first: first.file.clone(),
                expected,
            });
        }
    }
    let count = first.header.shards;
    let mut by_shard: BTreeMap<u64, Part> = BTreeMap::new();
    for p in parts {
        if let Some(other) = by_shard.get(&p.header.shard) {
            return Err(PartError::Duplicate {
                file: p.file.clone(),
                other: other.file.clone(),
                shard: p.header.shard,
                count,
            });
        }
        by_shard.insert(p.header.shard, p);
    }
    let missing: Vec<u64> = (0..count).filter(|k| !by_shard.contains_key(k)).collect();
    if !missing.is_empty() {
        let names: Vec<&str> = by_shard.values().map(|p| p.file.as_str()).collect();
        let files = if names.len() > 4 {
            format!("{} and {} more", names[..3].join(", "), names.len() - 3)
        } else {
            names.join(", ")
        };
        return Err(PartError::Missing {
            missing,
            present: by_shard.keys().copied().collect(),
            count,
            files,
        });
    }
    Ok(by_shard.into_values().collect())
}
