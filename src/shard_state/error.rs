//! Why a part cannot be read or merged. Every message names the file.

/// A part that cannot be read, or a set of parts that is not one run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PartError {
    /// The file cannot be read.
    #[error("{file}: cannot read: {error}")]
    Unreadable {
        /// The part as named.
        file: String,
        /// What the system said.
        error: String,
    },
    /// The file does not start as a part does.
    #[error(
        "{file}: not a kpisim shard state (written by `kpisim run --shard K/M --state-out PART`)"
    )]
    NotAPart {
        /// The part as named.
        file: String,
    },
    /// Written in a format this kpisim does not read.
    #[error("{file}: shard state format {found}; this kpisim reads format {supported}")]
    Format {
        /// The part as named.
        file: String,
        /// Its format number.
        found: u32,
        /// The one this kpisim reads.
        supported: u32,
    },
    /// Shorter or longer than its header says.
    #[error(
        "{file}: truncated: {bytes} bytes where the header promises {expected}; write the shard again"
    )]
    Truncated {
        /// The part as named.
        file: String,
        /// Its length in bytes, as read.
        bytes: u64,
        /// The length in bytes its framing promises: the payload's length
        /// plus prefix and checksum.
        expected: u64,
    },
    /// Its checksum does not match, or its contents do not decode.
    #[error("{file}: corrupt: {why}; write the shard again")]
    Corrupt {
        /// The part as named.
        file: String,
        /// What is wrong.
        why: String,
    },
    /// Another kpisim wrote it: its state cannot be read as this one's.
    #[error(
        "{file}: written by kpisim {found}; this is kpisim {ours}, which merges only parts it wrote (run every shard with one version)"
    )]
    Version {
        /// The part as named.
        file: String,
        /// The version that wrote it.
        found: String,
        /// This version.
        ours: String,
    },
    /// Two parts of different runs.
    #[error(
        "{file}: {what} {found}, but {first} has {what} {expected}: the parts of one run share scenario, seed, trials, sampling and shard count"
    )]
    Mismatch {
        /// The part that differs.
        file: String,
        /// What differs: `scenario_sha256`, `seed`, `trials`, `sampling`
        /// or `shard count`.
        what: &'static str,
        /// Its value in the part that differs.
        found: String,
        /// The first part given, as named: the one the others must match.
        first: String,
        /// Its value in the first part.
        expected: String,
    },
    /// The same shard twice.
    #[error(
        "{file}: shard {shard}/{count} again ({other} is shard {shard}/{count} too); give each shard once"
    )]
    Duplicate {
        /// The later part.
        file: String,
        /// The earlier part of the same shard.
        other: String,
        /// The shard both parts hold, from 0.
        shard: u64,
        /// Shards of the run.
        count: u64,
    },
    /// Shards missing.
    #[error(
        "shard{} {} of {count} missing: the parts given ({}) are shards {} of {count}",
        if .missing.len() > 1 { "s" } else { "" },
        list(.missing), .files, list(.present)
    )]
    Missing {
        /// The shards not given, by number from 0, ascending.
        missing: Vec<u64>,
        /// The shards given, by number from 0, ascending.
        present: Vec<u64>,
        /// Shards of the run.
        count: u64,
        /// The parts given, named (the first few).
        files: String,
    },
    /// A part's state that does not fit its own scenario.
    #[error("{file}: corrupt: {why}; write the shard again")]
    Shape {
        /// The part as named.
        file: String,
        /// What does not fit.
        why: String,
    },
}

/// `0, 1, 3`, or `0-7, 9` for long runs.
fn list(shards: &[u64]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < shards.len() {
        let mut j = i;
        while j + 1 < shards.len() && shards[j + 1] == shards[j] + 1 {
            j += 1;
        }
        parts.push(if j >= i + 2 {
            format!("{}-{}", shards[i], shards[j])
        } else if j == i + 1 {
            format!("{}, {}", shards[i], shards[j])
        } else {
            shards[i].to_string()
        });
        i = j + 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn runs_of_shards_are_shortened() {
        assert_eq!(super::list(&[0, 1, 2, 3, 5, 7, 8]), "0-3, 5, 7, 8");
        assert_eq!(super::list(&[2]), "2");
        assert_eq!(super::list(&[]), "");
    }
}
