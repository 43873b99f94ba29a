//! Atomic file output: write a temporary file beside the target, then
//! rename it over the target, so a failed or interrupted run never leaves a
//! partial file.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Checks, before any simulation, that `path` can be written: its directory
/// exists and it is not a directory itself.
pub fn check_writable(path: &Path) -> Result<()> {
    let dir = parent(path);
    let fail = |msg: &str| Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(msg.to_string()),
    };
    if !dir.is_dir() {
        return Err(fail("cannot write here: the directory does not exist"));
    }
    if path.is_dir() {
        return Err(fail("cannot write here: it is a directory"));
    }
    Ok(())
}

/// Writes through `fill` into a temporary file beside `path`, then renames
/// it to `path`.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> Result<()>,
) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".kpisim-")
        .tempfile_in(parent(path))
        .map_err(io)?;
    fill(tmp.as_file_mut())?;
    tmp.as_file_mut().flush().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
