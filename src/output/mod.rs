//! Where reports go, checked before any work and written all or nothing.
//!
//! Every output path is resolved and checked when the command line is read,
//! before any simulation: its directory must exist and take a new file, it
//! must not be a directory, and it must not be one of the command's inputs
//! or another of its outputs. A run then stages each output in a temporary
//! file beside its target and renames them all at the end, so that either
//! everything a run writes appears, or nothing does. A signal (Ctrl-C,
//! SIGTERM) removes the temporary files of a run still writing
//! ([`remove_pending`]).
//!
//! Only regular files are replaced by a rename. A device, a pipe or an open
//! descriptor named as the output (`-o /dev/null`, `-o /dev/stdout`) is
//! written in place: renaming over it would replace the device node or the
//! system's link, not write to it. A symbolic link is written through: the
//! file it points to is replaced, the link stays. A replaced file keeps its
//! mode and owner. A file with several hard links is replaced like any
//! other: the name given gets the new report and the other links keep the
//! old one, because writing in place is the one way a failed write (a full
//! disk, a file-size limit) could truncate a report the user still has.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

mod error;

pub use error::{OutputError, OutputProblem};

use OutputError as Error;

type Result<T> = std::result::Result<T, Error>;

/// Temporary files of outputs being written, removed on a signal.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Directories created for outputs not yet committed, removed on a signal
/// after the files in them.
static PENDING_DIRS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

fn pending_dirs() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING_DIRS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes the temporary files of every output not yet committed, and the
/// directories made for them. Called from a signal handler thread before
/// the process exits.
pub fn remove_pending() {
    for p in pending().drain(..) {
        let _ = std::fs::remove_file(p);
    }
    for d in pending_dirs().drain(..).rev() {
        let _ = std::fs::remove_dir(d);
    }
}

/// What stands at an output path now.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Existing {
    /// Nothing: a new file is created.
    Nothing,
    /// A regular file, replaced by a rename.
    File {
        dev: u64,
        ino: u64,
        mode: u32,
        uid: u32,
        gid: u32,
    },
    /// A device, a pipe, a socket or an open descriptor: written in place.
    Special,
}

/// An output file, resolved and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileTarget {
    flag: &'static str,
    shown: PathBuf,
    resolved: PathBuf,
    existing: Existing,
    /// The directory it goes in, when that is created for it (`--charts`
    /// naming a new directory): made when the file is staged, after the
    /// work, and removed again if the outputs are not committed.
    new_dir: Option<PathBuf>,
}

/// A directory of outputs (`--charts DIR`), checked before any work. A
/// directory that does not exist yet is created only when its files are
/// staged, after the work succeeded, so that a refused or failed command
/// creates nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirTarget {
    flag: &'static str,
    shown: PathBuf,
    resolved: PathBuf,
    exists: bool,
}

impl DirTarget {
    /// Checks `path` as a directory of outputs: an existing directory, or
    /// a new one in a directory that exists and takes it.
    pub fn check(flag: &'static str, path: &Path) -> Result<DirTarget> {
        if path.as_os_str().is_empty() {
            return Err(refuse(flag, path, OutputProblem::Empty));
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => Ok(DirTarget {
                flag,
                shown: path.to_path_buf(),
                resolved: std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
                exists: true,
            }),
            Ok(_) => Err(refuse(flag, path, OutputProblem::NotADirectory)),
            Err(_) if std::fs::symlink_metadata(path).is_ok() => {
                Err(refuse(flag, path, OutputProblem::DanglingLink))
            }
            Err(_) => {
                // `new/` names the directory `new`.
                let trimmed: PathBuf = path.components().collect();
                let parent = dir_of(&trimmed);
                if !parent.is_dir() {
                    return Err(refuse(
                        flag,
                        path,
                        OutputProblem::MissingDirectory(parent.to_path_buf()),
                    ));
                }
                let resolved = std::fs::canonicalize(parent)
                    .map(|d| d.join(trimmed.file_name().unwrap_or_default()))
                    .unwrap_or_else(|_| trimmed.clone());
                let target = DirTarget {
                    flag,
                    shown: path.to_path_buf(),
                    resolved,
                    exists: false,
                };
                // The file that will be written there is probed in its
                // parent, which must take the new directory.
                let probe = FileTarget {
                    flag,
                    shown: path.to_path_buf(),
                    resolved: target.resolved.clone(),
                    existing: Existing::Nothing,
                    new_dir: None,
                };
                probe.probe_directory()?;
                Ok(target)
            }
        }
    }

    /// The directory as the user gave it.
    pub fn path(&self) -> &Path {
        &self.shown
    }

    /// The output file `name` in this directory, checked as any output.
    pub fn file(&self, name: &str) -> Result<FileTarget> {
        if self.exists {
            return FileTarget::check(self.flag, &self.shown.join(name));
        }
        Ok(FileTarget {
            flag: self.flag,
            shown: self.shown.join(name),
            resolved: self.resolved.join(name),
            existing: Existing::Nothing,
            new_dir: Some(self.resolved.clone()),
        })
    }

    /// Refuses an output file at this very path (`-o X --charts X`).
    pub fn check_apart_from(&self, file: &FileTarget) -> Result<()> {
        if file.resolved == self.resolved {
            return Err(Error::SameFile {
                first: (file.flag, file.shown.clone()),
                second: (self.flag, self.shown.clone()),
            });
        }
        Ok(())
    }
}

fn refuse(flag: &'static str, path: &Path, problem: OutputProblem) -> Error {
    Error::Refused {
        flag,
        path: path.to_path_buf(),
        problem,
    }
}

fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

#[cfg(unix)]
fn existing(meta: &std::fs::Metadata) -> Existing {
    use std::os::unix::fs::MetadataExt;
    if meta.is_file() {
        Existing::File {
            dev: meta.dev(),
            ino: meta.ino(),
            mode: meta.mode() & 0o7777,
            uid: meta.uid(),
            gid: meta.gid(),
        }
    } else {
        Existing::Special
    }
}

#[cfg(not(unix))]
fn existing(meta: &std::fs::Metadata) -> Existing {
    if meta.is_file() {
        Existing::File {
            dev: 0,
            ino: 0,
            mode: 0o644,
            uid: 0,
            gid: 0,
        }
    } else {
        Existing::Special
    }
}

/// Whether `path` names an open descriptor of this process (`/dev/stdout`,
/// `/dev/fd/3`, `/proc/self/fd/1`): written in place whatever it leads to,
/// since the shell that opened it may be appending to it.
fn names_a_descriptor(path: &Path) -> bool {
    let s = path.to_string_lossy();
    ["/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/"]
        .iter()
        .any(|p| s.starts_with(p))
}

impl FileTarget {
    /// Resolves `path` and checks that a report can be written there: not a
    /// directory, in a directory that exists and takes a new file, and, when
    /// a file there must be replaced, one whose owner can be kept.
    /// `flag` names the option in messages (`--output`).
    pub fn check(flag: &'static str, path: &Path) -> Result<FileTarget> {
        if path.as_os_str().is_empty() {
            return Err(refuse(flag, path, OutputProblem::Empty));
        }
        let text = path.to_string_lossy();
        if text.ends_with('/') || text.ends_with("/.") || path.ends_with("..") {
            return Err(refuse(flag, path, OutputProblem::NamesDirectory));
        }
        // Follows symbolic links: the metadata of what the path leads to.
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => Err(refuse(flag, path, OutputProblem::IsDirectory)),
            Ok(meta) => {
                let special = names_a_descriptor(path) || !meta.is_file();
                // A pipe behind /dev/stdout has no path to resolve to.
                let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
                let target = FileTarget {
                    flag,
                    shown: path.to_path_buf(),
                    resolved,
                    existing: if special {
                        Existing::Special
                    } else {
                        existing(&meta)
                    },
                    new_dir: None,
                };
                target.check_replaceable()?;
                Ok(target)
            }
            Err(_) if std::fs::symlink_metadata(path).is_ok() => {
                Err(refuse(flag, path, OutputProblem::DanglingLink))
            }
            Err(_) => {
                let dir = dir_of(path);
                if !dir.is_dir() {
                    return Err(refuse(
                        flag,
                        path,
                        OutputProblem::MissingDirectory(dir.to_path_buf()),
                    ));
                }
                let resolved = std::fs::canonicalize(dir)
                    .map(|d| d.join(path.file_name().unwrap_or_default()))
                    .unwrap_or_else(|_| path.to_path_buf());
                let target = FileTarget {
                    flag,
                    shown: path.to_path_buf(),
                    resolved,
                    existing: Existing::Nothing,
                    new_dir: None,
                };
                target.probe_directory()?;
                Ok(target)
            }
        }
    }

    /// The path as the user gave it.
    pub fn path(&self) -> &Path {
        &self.shown
    }

    /// Whether this and `other` lead to the same file.
    pub fn same_file(&self, other: &FileTarget) -> bool {
        match (&self.existing, &other.existing) {
            (Existing::File { dev, ino, .. }, Existing::File { dev: d, ino: i, .. }) => {
                dev == d && ino == i
            }
            _ => self.resolved == other.resolved,
        }
    }

    /// Whether this leads to the existing file `input`.
    pub fn is_file(&self, input: &Path) -> bool {
        match std::fs::metadata(input) {
            Ok(meta) if meta.is_file() => match (&self.existing, existing(&meta)) {
                (Existing::File { dev, ino, .. }, Existing::File { dev: d, ino: i, .. }) => {
                    *dev == d && *ino == i
                }
                _ => std::fs::canonicalize(input).is_ok_and(|p| p == self.resolved),
            },
            _ => false,
        }
    }

    /// Whether this is a device, pipe or descriptor, written in place.
    pub fn is_special(&self) -> bool {
        self.existing == Existing::Special
    }

    /// Refuses a replacement that would lose the file's owner: a file of
    /// another user can be replaced with its owner kept only by root.
    fn check_replaceable(&self) -> Result<()> {
        #[cfg(unix)]
        if let Existing::File { uid, .. } = self.existing {
            // SAFETY: geteuid has no preconditions.
            let me = unsafe { libc::geteuid() };
            // Only root can give the replacement another user's ownership;
            // writing in place instead would break the all-or-nothing rule.
            if me != 0 && uid != me {
                return Err(refuse(self.flag, &self.shown, OutputProblem::OtherOwner));
            }
        }
        if matches!(self.existing, Existing::File { .. }) {
            self.probe_directory()?;
        }
        Ok(())
    }

    /// Checks that the directory takes a new file, by creating one.
    fn probe_directory(&self) -> Result<()> {
        let dir = dir_of(&self.resolved);
        tempfile::Builder::new()
            .prefix(".kpisim-probe-")
            .tempfile_in(dir)
            .map(drop)
            .map_err(|e| {
                refuse(
                    self.flag,
                    &self.shown,
                    OutputProblem::NotWritable {
                        dir: dir.to_path_buf(),
                        reason: e.to_string(),
                    },
                )
            })
    }
}

/// Refuses outputs that would destroy an input or each other: any output
/// that is one of `inputs` (each with what it is, "scenario file"), and two
/// outputs leading to the same file (devices excepted: `/dev/null` twice is
/// harmless).
pub fn check_distinct(outputs: &[&FileTarget], inputs: &[(&'static str, &Path)]) -> Result<()> {
    for out in outputs {
        for (what, input) in inputs {
            if out.is_file(input) {
                return Err(Error::IsInput {
                    flag: out.flag,
                    path: out.shown.clone(),
                    what,
                    input: input.to_path_buf(),
                });
            }
        }
    }
    for (i, a) in outputs.iter().enumerate() {
        for b in &outputs[i + 1..] {
            if !a.is_special() && a.same_file(b) {
                return Err(Error::SameFile {
                    first: (a.flag, a.shown.clone()),
                    second: (b.flag, b.shown.clone()),
                });
            }
        }
    }
    Ok(())
}

/// Whether descriptor 1 was closed when the process started (`>&-`), read
/// before Rust's runtime reopens a closed descriptor 1 on /dev/null, which
/// would make a report vanish without a word. Read-write /dev/null as
/// stdout is no sign of that: Python's `subprocess.DEVNULL`, systemd's
/// `StandardOutput=null` and bash's `1<>/dev/null` open it so too, to
/// discard a report on purpose.
#[cfg(target_os = "linux")]
static STDOUT_CLOSED_AT_START: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Runs from the ELF `.init_array`, before `main` and so before the
/// runtime's own start-up (which is called from `main`).
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static CHECK_STDOUT_AT_START: extern "C" fn() = {
    extern "C" fn check() {
        // SAFETY: fcntl(F_GETFD) only asks whether descriptor 1 is open.
        let closed = unsafe { libc::fcntl(1, libc::F_GETFD) } == -1;
        STDOUT_CLOSED_AT_START.store(closed, std::sync::atomic::Ordering::Relaxed);
    }
    check
};

/// Whether standard output is open: it is unless descriptor 1 was closed
/// when kpisim started. Where that cannot be told (systems other than
/// Linux), it is taken as open.
pub fn stdout_is_open() -> bool {
    #[cfg(target_os = "linux")]
    {
        !STDOUT_CLOSED_AT_START.load(std::sync::atomic::Ordering::Relaxed)
    }
    #[cfg(not(target_os = "linux"))]
    {
        true
    }
}

/// Whether `path` leads to what standard output is (the same device and
/// inode: `/dev/stdout`, `/proc/self/fd/1`, the terminal's own device),
/// except the null device, where anything may go.
pub fn is_stdout(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(meta) = std::fs::metadata(path) else {
            return false;
        };
        // SAFETY: fstat fills a zeroed buffer of the right size.
        let (ok, st) = unsafe {
            let mut st: libc::stat = std::mem::zeroed();
            (libc::fstat(1, &mut st) == 0, st)
        };
        let null = std::fs::metadata("/dev/null").ok();
        // The field types differ between systems.
        #[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
        let same = ok && meta.dev() == st.st_dev as u64 && meta.ino() == st.st_ino as u64;
        let is_null = null.is_some_and(|n| n.dev() == meta.dev() && n.ino() == meta.ino());
        same && !is_null
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// One output staged for writing.
enum Staged {
    /// Written to a temporary file, renamed over the target at commit.
    Temp {
        tmp: tempfile::NamedTempFile,
        target: FileTarget,
    },
    /// Held in memory, written in place at commit (devices, descriptors,
    /// standard output).
    InPlace {
        bytes: Vec<u8>,
        target: Option<FileTarget>,
    },
}

/// The outputs of one run, written all or nothing: [`Outputs::stage`] each,
/// then [`Outputs::commit`]. Dropped without a commit, it leaves every
/// target as it was.
#[derive(Default)]
pub struct Outputs {
    staged: Vec<Staged>,
    /// Directories made for staged files, removed unless committed.
    made: Vec<PathBuf>,
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Outputs {
    /// No outputs yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stages the output for `target` (standard output when `None`): `fill`
    /// writes it into a temporary file beside the target, or into memory
    /// for what is written in place.
    /// `fill`'s own errors (a renderer's) pass through as they are.
    pub fn stage<E: From<OutputError>>(
        &mut self,
        target: Option<&FileTarget>,
        fill: impl FnOnce(&mut dyn Write) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let in_place = match target {
            None => true,
            Some(t) => t.existing == Existing::Special,
        };
        if in_place {
            let mut bytes = Vec::new();
            fill(&mut bytes)?;
            self.staged.push(Staged::InPlace {
                bytes,
                target: target.cloned(),
            });
            return Ok(());
        }
        let target = target.expect("in place when None").clone();
        let shown = target.shown.clone();
        let io = io_error(&shown);
        if let Some(dir) = target.new_dir.as_ref().filter(|d| !d.is_dir()) {
            std::fs::create_dir(dir).map_err(&io).map_err(E::from)?;
            self.made.push(dir.clone());
            pending_dirs().push(dir.clone());
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(".kpisim-");
        // A new report gets the mode any new file gets (0666 less the
        // umask), not the temporary file's 0600.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let mut tmp = builder
            .tempfile_in(dir_of(&target.resolved))
            .map_err(&io)
            .map_err(E::from)?;
        pending().push(tmp.path().to_path_buf());
        let result = (|| {
            {
                let mut w = std::io::BufWriter::new(tmp.as_file_mut());
                fill(&mut w)?;
                w.flush().map_err(&io)?;
            }
            Ok(keep_mode_and_owner(&tmp, &target)?)
        })();
        if let Err(e) = result {
            forget(tmp.path());
            return Err(e);
        }
        self.staged.push(Staged::Temp { tmp, target });
        Ok(())
    }

    /// Stages `text` for `target` (standard output when `None`).
    pub fn stage_text(&mut self, target: Option<&FileTarget>, text: &str) -> Result<()> {
        self.stage_bytes(target, text.as_bytes())
    }

    /// Stages `bytes` for `target` (standard output when `None`).
    pub fn stage_bytes(&mut self, target: Option<&FileTarget>, bytes: &[u8]) -> Result<()> {
        let shown = target.map_or_else(|| PathBuf::from("<stdout>"), |t| t.shown.clone());
        self.stage(target, |w| w.write_all(bytes).map_err(io_error(&shown)))
    }

    /// Moves every staged output into place: first what is written in place
    /// (a device or a descriptor can still fail: `/dev/full`), then the
    /// files by renames, which only happen once every output is complete.
    pub fn commit(mut self) -> Result<()> {
        let staged = std::mem::take(&mut self.staged);
        let (temps, in_place): (Vec<_>, Vec<_>) = staged
            .into_iter()
            .partition(|s| matches!(s, Staged::Temp { .. }));
        for s in in_place {
            let Staged::InPlace { bytes, target } = s else {
                continue;
            };
            let written = match &target {
                None => {
                    let mut out = std::io::stdout().lock();
                    out.write_all(&bytes)
                        .and_then(|_| out.flush())
                        .map_err(io_error(Path::new("<stdout>")))
                }
                Some(t) => std::fs::OpenOptions::new()
                    .write(true)
                    .truncate(!t.is_special())
                    .open(&t.shown)
                    .and_then(|mut f| f.write_all(&bytes).and_then(|_| f.flush()))
                    .map_err(io_error(&t.shown)),
            };
            if let Err(e) = written {
                // The temporary files go with `temps`; nothing is renamed.
                for t in &temps {
                    if let Staged::Temp { tmp, .. } = t {
                        forget(tmp.path());
                    }
                }
                return Err(e);
            }
        }
        for s in temps {
            let Staged::Temp { tmp, target } = s else {
                continue;
            };
            let path = tmp.path().to_path_buf();
            let r = tmp.persist(&target.resolved);
            forget(&path);
            r.map_err(|e| Error::Io {
                path: target.shown.clone(),
                source: e.error,
            })?;
        }
        // Committed: the directories stay.
        let made = std::mem::take(&mut self.made);
        pending_dirs().retain(|d| !made.contains(d));
        Ok(())
    }
}

impl Drop for Outputs {
    /// The temporary files of a run that failed are removed by their own
    /// drop; a signal no longer needs to know them.
    fn drop(&mut self) {
        for s in &self.staged {
            if let Staged::Temp { tmp, .. } = s {
                forget(tmp.path());
            }
        }
        // The temporary files inside go first, with `staged`.
        self.staged.clear();
        for d in self.made.drain(..).rev() {
            pending_dirs().retain(|p| p != &d);
            let _ = std::fs::remove_dir(&d);
        }
    }
}

fn forget(tmp: &Path) {
    pending().retain(|p| p != tmp);
}

/// Gives the temporary file the replaced file's mode and owner.
fn keep_mode_and_owner(tmp: &tempfile::NamedTempFile, target: &FileTarget) -> Result<()> {
    #[cfg(unix)]
    if let Existing::File { mode, uid, gid, .. } = target.existing {
        use std::os::unix::fs::PermissionsExt;
        let io = io_error(&target.shown);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(&io)?;
        std::os::unix::fs::fchown(tmp.as_file(), Some(uid), Some(gid)).map_err(&io)?;
    }
    #[cfg(not(unix))]
    let _ = (tmp, target);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(target: &FileTarget, text: &str) {
        let mut out = Outputs::new();
        out.stage_text(Some(target), text).unwrap();
        out.commit().unwrap();
    }

    #[test]
    fn devices_are_written_in_place_and_files_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("out.json");
        write(&FileTarget::check("-o", &file).unwrap(), "old");
        write(&FileTarget::check("-o", &file).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        // Renaming a temporary file over /dev/null would replace the device.
        let null = FileTarget::check("-o", Path::new("/dev/null")).unwrap();
        assert!(null.is_special());
        write(&null, "discarded");
        let meta = std::fs::metadata("/dev/null").unwrap();
        assert!(!meta.is_file(), "/dev/null was replaced by a regular file");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "a temporary file was left behind");
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_mode_and_a_new_one_gets_the_usual_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        let kept = dir.path().join("kept.json");
        std::fs::write(&kept, "old").unwrap();
        std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).unwrap();
        write(&FileTarget::check("-o", &kept).unwrap(), "new");
        assert_eq!(mode(&kept), 0o640);
        let fresh = dir.path().join("fresh.json");
        write(&FileTarget::check("-o", &fresh).unwrap(), "x");
        let direct = dir.path().join("direct");
        std::fs::write(&direct, "x").unwrap();
        assert_eq!(mode(&fresh), mode(&direct));
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_written_through_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write(&FileTarget::check("-o", &link).unwrap(), "new");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn nothing_is_written_without_a_commit() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.json");
        std::fs::write(&a, "old").unwrap();
        let b = dir.path().join("b.json");
        {
            let mut out = Outputs::new();
            out.stage_text(Some(&FileTarget::check("-o", &a).unwrap()), "new")
                .unwrap();
            let failed = out.stage(Some(&FileTarget::check("-o", &b).unwrap()), |_| {
                Err(Error::Io {
                    path: b.clone(),
                    source: std::io::Error::other("the second output fails"),
                })
            });
            assert!(failed.is_err());
        }
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "a temporary file was left behind");
        assert!(pending().iter().all(|p| !p.starts_with(dir.path())));
    }

    #[test]
    fn directories_and_missing_directories_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(FileTarget::check("-o", dir.path()).is_err());
        assert!(FileTarget::check("-o", &dir.path().join("new/")).is_err());
        assert!(FileTarget::check("-o", &dir.path().join("no/such/out.json")).is_err());
    }
}
