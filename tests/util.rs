//! Test harness: a fresh temporary directory per test, the real binary run
//! inside it, and a full dump of the command, its working directory and the
//! files there, stdout and stderr when an expectation fails (after
//! ripgrep's `tests/util.rs`).
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// The monthly metrics of the JSON summary (docs/output.md), spelled out
/// independently of the library.
pub const MONTHLY_METRICS: [&str; 6] = [
    "registrations",
    "new_payers",
    "old_payers",
    "payers",
    "revenue",
    "profit",
];

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The default scenario's text.
pub fn default_scenario() -> String {
    std::fs::read_to_string(root().join("scenarios/shandian-2016.toml")).expect("default scenario")
}

/// `tests/data/reference`: the reference scenarios and the independent
/// implementation's results for them.
pub fn reference_dir() -> PathBuf {
    root().join("tests/data/reference")
}

/// A temporary directory that lives as long as the test.
pub struct Dir {
    dir: tempfile::TempDir,
}

impl Default for Dir {
    fn default() -> Self {
        Self::new()
    }
}

impl Dir {
    /// A new empty directory.
    pub fn new() -> Dir {
        Dir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// Path of `name` inside it.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `name` with `contents`.
    pub fn create(&self, name: &str, contents: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, contents).expect("write test file");
        p
    }

    /// Names of the files in it, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.dir.path())
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// The kpisim binary, to run inside this directory.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kpisim"));
        cmd.args(args).current_dir(self.dir.path());
        cmd
    }

    /// Runs `kpisim args...` inside this directory.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = self.command(args).output().expect("run kpisim");
        self.finished(args, output)
    }

    /// A finished run of `args`, with a listing of the directory after it.
    pub fn finished(&self, args: &[&str], output: Output) -> Run {
        let listing = self
            .files()
            .iter()
            .map(|f| {
                let len = std::fs::metadata(self.path(f)).map_or(0, |m| m.len());
                format!("  {f} ({len} bytes)")
            })
            .collect::<Vec<_>>()
            .join("\n");
        Run {
            cmd: format!("kpisim {}", args.join(" ")),
            dir: format!("{}\n{listing}", self.dir.path().display()),
            output,
        }
    }
}

/// A finished run of the binary.
pub struct Run {
    cmd: String,
    /// The working directory and its files after the run.
    dir: String,
    /// What it produced.
    pub output: Output,
}

impl Run {
    fn dump(&self) -> String {
        format!(
            "command: {}\nexit: {:?}\nworking directory: {}\n--- stdout\n{}\n--- stderr\n{}",
            self.cmd,
            self.output.status.code(),
            self.dir,
            self.stdout(),
            self.stderr()
        )
    }

    /// Standard output as text.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    /// Standard error as text.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Asserts the exit code, dumping everything if it differs.
    pub fn code(self, expected: i32) -> Run {
        assert_eq!(
            self.output.status.code(),
            Some(expected),
            "\n{}",
            self.dump()
        );
        self
    }

    /// Asserts success and returns stdout.
    pub fn ok(self) -> String {
        self.code(0).stdout()
    }

    /// Asserts that stderr contains every piece.
    pub fn stderr_has(self, pieces: &[&str]) -> Run {
        let err = self.stderr();
        for p in pieces {
            assert!(err.contains(p), "stderr lacks {p:?}\n{}", self.dump());
        }
        self
    }

    /// Parses stdout as JSON.
    pub fn json(self) -> serde_json::Value {
        let out = self.ok();
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{out}"))
    }
}

/// The flags every browser test starts Chromium with: headless, no
/// sandbox (CI runs as root), nothing fetched or synced on its own.
pub const HEADLESS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
];

/// The headless browser the browser tests drive: Debian's `chromium`, or
/// Chrome where it is called so. Without one, says on stderr that `test`
/// was skipped and gives `None`, unless KPISIM_REQUIRE_BROWSER=1 (as CI
/// sets it, having installed chromium), which fails the test.
pub fn browser(test: &str) -> Option<String> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(str::to_string);
    if found.is_none() {
        assert!(
            std::env::var("KPISIM_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "KPISIM_REQUIRE_BROWSER=1 and no chromium: install Debian's chromium package"
        );
        eprintln!("note: no chromium on this machine: {test} was skipped");
    }
    found
}
