//! No run destroys data: outputs that would replace an input or each other
//! are refused before any simulation, links and devices are written
//! through or in place, and a run writes everything or nothing, even when
//! interrupted. Each test leaves the inputs, and any output that existed,
//! byte for byte as they were.
//!
//! What it pins: an output naming the scenario, or the report and
//! `--trials-out` naming one file, is refused; a symbolic link is written
//! through and stays a link; `/dev/stdout` redirected to a file is written
//! in place; a replaced file keeps its owner and mode; a failed report
//! leaves no trials file; SIGTERM while writing leaves no temporary file; a
//! closed stdout is an error (exit 1); unwritable places are refused before
//! any simulation. (Hard links: tests/hostile.rs.)

use std::process::Stdio;

use crate::util::{Dir, default_scenario};

/// The files of `dir` with their bytes.
fn snapshot(dir: &Dir) -> Vec<(String, Vec<u8>)> {
    dir.files()
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.path(&f)).unwrap_or_default();
            (f, bytes)
        })
        .collect()
}

#[test]
fn an_output_naming_the_scenario_is_refused() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    let before = snapshot(&dir);
    for args in [
        vec!["run", "s.toml", "-n", "1000", "-o", "s.toml"],
        vec!["run", "s.toml", "-n", "1000", "-o", "./s.toml"],
        vec!["stress", "s.toml", "-n", "1000", "-o", "s.toml"],
        vec!["kpis", "s.toml", "-n", "1000", "-o", "s.toml"],
    ] {
        dir.run(&args)
            .code(2)
            .stderr_has(&["--output", "is the scenario file s.toml", "destroy"]);
    }
    // A scenario that happens to end in .csv, named by --trials-out.
    dir.create("plan.csv", &default_scenario());
    let before_csv = snapshot(&dir);
    dir.run(&["run", "plan.csv", "-n", "1000", "--trials-out", "plan.csv"])
        .code(2)
        .stderr_has(&["--trials-out plan.csv", "is the scenario file"]);
    assert_eq!(snapshot(&dir), before_csv);
    assert_eq!(snapshot(&dir)[1..], before[..]);
}

#[test]
fn the_same_file_for_the_report_and_the_trials_is_refused() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    dir.create("t.parquet", "an earlier run's trials");
    let before = snapshot(&dir);
    dir.run(&[
        "run",
        "s.toml",
        "-n",
        "1000",
        "-f",
        "json",
        "-o",
        "t.parquet",
        "--trials-out",
        "t.parquet",
    ])
    .code(2)
    .stderr_has(&["--output t.parquet and --trials-out t.parquet name the same file"]);
    assert_eq!(snapshot(&dir), before);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_written_through_and_stays_a_link() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    dir.create("real.json", "old");
    std::os::unix::fs::symlink("real.json", dir.path("link.json")).unwrap();
    dir.run(&["run", "s.toml", "-n", "1000", "-o", "link.json"])
        .code(0);
    let meta = std::fs::symlink_metadata(dir.path("link.json")).unwrap();
    assert!(meta.file_type().is_symlink(), "the link was replaced");
    let report = std::fs::read_to_string(dir.path("real.json")).unwrap();
    assert!(report.contains("\"trials\": 1000"), "{report}");
}

#[cfg(unix)]
#[test]
fn dev_stdout_redirected_to_a_file_is_written_in_place() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    let out = std::fs::File::create(dir.path("captured.txt")).unwrap();
    let status = dir
        .command(&["run", "s.toml", "-n", "1000", "-o", "/dev/stdout"])
        .stdout(out)
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(dir.path("captured.txt")).unwrap();
    assert!(text.contains("1,000 trials"), "{text}");
    let meta = std::fs::symlink_metadata("/dev/stdout").unwrap();
    assert!(
        meta.file_type().is_symlink(),
        "/dev/stdout is no longer the system's link"
    );
    assert_eq!(dir.files(), ["captured.txt", "s.toml"]);
}

#[cfg(unix)]
#[test]
fn a_replaced_file_keeps_its_owner_and_mode() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    let report = dir.create("report.json", "old");
    std::fs::set_permissions(&report, std::fs::Permissions::from_mode(0o640)).unwrap();
    // Only root can hand a file to another owner; everyone else checks the mode.
    let root = std::fs::metadata(&report).unwrap().uid() == 0;
    if root {
        std::os::unix::fs::chown(&report, Some(65534), Some(65534)).unwrap();
    }
    dir.run(&["run", "s.toml", "-n", "1000", "-o", "report.json"])
        .code(0);
    let meta = std::fs::metadata(&report).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    if root {
        assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
    }
    assert!(
        std::fs::read_to_string(&report)
            .unwrap()
            .contains("\"trials\": 1000")
    );
}

#[test]
fn a_failed_report_leaves_no_trials_file() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    // /dev/full takes the open and refuses the write.
    let run = dir
        .run(&[
            "run",
            "s.toml",
            "-n",
            "2000",
            "-f",
            "json",
            "-o",
            "/dev/full",
            "--trials-out",
            "t.parquet",
        ])
        .code(1)
        .stderr_has(&["/dev/full"]);
    drop(run);
    assert_eq!(dir.files(), ["s.toml"], "a partial output was left");
}

#[cfg(unix)]
#[test]
fn a_signal_while_writing_leaves_no_temporary_file() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    let args = [
        "run",
        "s.toml",
        "-n",
        "2000000",
        "-f",
        "json",
        "-o",
        "r.json",
        "--trials-out",
        "t.parquet",
    ];
    let mut child = dir
        .command(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the Parquet file is being written, then interrupt.
    let start = std::time::Instant::now();
    let staged = || {
        dir.files()
            .iter()
            .any(|f| f.starts_with(".kpisim-") && !f.starts_with(".kpisim-probe"))
    };
    while !staged() && start.elapsed().as_secs() < 120 {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let seen = staged();
    // SAFETY: kill with a child's pid and SIGTERM has no preconditions.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let out = child.wait_with_output().unwrap();
    let left: Vec<String> = dir.files().into_iter().filter(|f| f != "s.toml").collect();
    if seen {
        assert_eq!(out.status.code(), Some(128 + libc::SIGTERM));
        assert!(left.is_empty(), "left behind: {left:?}");
    } else {
        // The run finished before a temporary file was seen: then both
        // outputs are whole.
        assert_eq!(left, ["r.json", "t.parquet"]);
    }
}

#[test]
fn a_closed_stdout_is_an_error() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    let bin = env!("CARGO_BIN_EXE_kpisim");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("'{bin}' run s.toml -n 1000 >&-"))
        .current_dir(dir.path("."))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("standard output is closed"), "{err}");
}

#[test]
fn unwritable_places_are_refused_before_any_simulation() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    // 500 million trials would take minutes: a refusal that comes at once
    // came before the simulation.
    let start = std::time::Instant::now();
    dir.run(&[
        "run",
        "s.toml",
        "-n",
        "5e8",
        "-o",
        "/proc/kpisim-report.json",
    ])
    .code(2)
    .stderr_has(&["--output /proc/kpisim-report.json", "cannot write in /proc"]);
    dir.run(&["run", "s.toml", "-n", "5e8", "-o", "newdir/"])
        .code(2)
        .stderr_has(&["--output newdir/", "names a directory"]);
    dir.run(&["run", "s.toml", "-n", "5e8", "-o", "."])
        .code(2)
        .stderr_has(&["is a directory"]);
    dir.run(&["run", "s.toml", "-n", "5e8", "--trials-out", "t.txt"])
        .code(2)
        .stderr_has(&["--trials-out t.txt", ".parquet", ".csv"]);
    assert!(start.elapsed().as_secs() < 30);
    assert_eq!(dir.files(), ["s.toml"]);
}
