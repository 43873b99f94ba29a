//! Why an output cannot be written: refusals before any work (exit 2 at
//! the top), and failures while writing (exit 1).

use std::path::PathBuf;

/// Why an output path is refused, before any work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutputProblem {
    /// Empty path.
    #[error("is empty")]
    Empty,
    /// An existing directory.
    #[error("is a directory; give a file name")]
    IsDirectory,
    /// Ends in `/`.
    #[error("names a directory; give a file name")]
    NamesDirectory,
    /// Its directory does not exist.
    #[error("cannot write here: the directory {} does not exist", .0.display())]
    MissingDirectory(PathBuf),
    /// A symbolic link to nothing.
    #[error("is a symbolic link to a file that does not exist; name the file itself")]
    DanglingLink,
    /// The directory does not take a new file.
    #[error("cannot write in {}: {reason}", .dir.display())]
    NotWritable {
        /// The directory the file would be created in.
        dir: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// Replacing it would change its owner.
    #[error(
        "belongs to another user; replacing it would change its owner: write to another path, or remove it first"
    )]
    OtherOwner,
    /// An existing file where a directory is wanted (`--charts`).
    #[error("is a file; give a directory, which is created if it does not exist")]
    NotADirectory,
    /// An extension that names a format kpisim does not write.
    #[error("{0}")]
    Format(&'static str),
}

/// Why an output cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// An output path refused before any work.
    #[error("{flag} {}: {problem}", .path.display())]
    Refused {
        /// The option naming it.
        flag: &'static str,
        /// The path as given.
        path: PathBuf,
        /// Why.
        problem: OutputProblem,
    },
    /// An output that would replace an input.
    #[error("{flag} {}: is the {what} {}; writing there would destroy it", .path.display(), .input.display())]
    IsInput {
        /// The option naming the output, e.g. `--output`.
        flag: &'static str,
        /// The output as given.
        path: PathBuf,
        /// What the input is ("scenario file").
        what: &'static str,
        /// The input as given.
        input: PathBuf,
    },
    /// Two outputs leading to one file.
    #[error("{} {} and {} {} name the same file; one would overwrite the other", .first.0, .first.1.display(), .second.0, .second.1.display())]
    SameFile {
        /// One output and its option.
        first: (&'static str, PathBuf),
        /// The other.
        second: (&'static str, PathBuf),
    },
    /// Writing failed.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file being written, as given (`<stdout>` for standard
        /// output).
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
}

impl OutputError {
    /// Whether the user can fix it in the command line (a refusal before
    /// any work) rather than in the system around it.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            OutputError::Refused { .. }
                | OutputError::IsInput { .. }
                | OutputError::SameFile { .. }
        )
    }

    /// Whether it is a write to a closed pipe (`kpisim run ... | head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, OutputError::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}
