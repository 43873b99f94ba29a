//! Atomic file output: write a temporary file beside the target, then
//! rename it over the target, so a failed or interrupted run never leaves a
//! partial file.
//!
//! Only regular files are replaced that way: a device or a pipe named as
//! the output (`-o /dev/null`, `-o /dev/stdout`) is written in place, since
//! renaming over it would replace the device node itself.

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

/// Whether `path` names something other than a regular file (a device, a
/// pipe), which must be written in place rather than replaced.
pub fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Writes through `fill` into a temporary file beside `path`, then renames
/// it to `path`; writes a device or pipe in place.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> Result<()>,
) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    if is_special(path) {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(io)?;
        return fill(&mut f);
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".kpisim-");
    // A temporary file is private (0600); the report should get the mode any
    // new file gets (0666 less the umask), as if written directly.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(parent(path)).map_err(io)?;
    fill(tmp.as_file_mut())?;
    tmp.as_file_mut().flush().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_are_written_in_place_and_files_replaced() {
        // Renaming a temporary file over /dev/null would replace the device.
        assert!(is_special(Path::new("/dev/null")));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("out.json");
        assert!(!is_special(&file));
        std::fs::write(&file, "old").unwrap();
        assert!(!is_special(&file));
        write_atomic(&file, |f| {
            f.write_all(b"new").map_err(|e| Error::Io {
                path: file.clone(),
                source: e,
            })
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        #[cfg(unix)]
        {
            // The same mode as a file created directly, not the 0600 of a
            // temporary file.
            use std::os::unix::fs::PermissionsExt;
            let direct = dir.path().join("direct");
            std::fs::write(&direct, "x").unwrap();
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode();
            assert_eq!(mode(&file), mode(&direct));
        }
        write_atomic(Path::new("/dev/null"), |f| {
            f.write_all(b"discarded").map_err(|e| Error::Io {
                path: "/dev/null".into(),
                source: e,
            })
        })
        .unwrap();
        let meta = std::fs::metadata("/dev/null").unwrap();
        assert!(!meta.is_file(), "/dev/null was replaced by a regular file");
    }
}
