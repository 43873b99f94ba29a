//! `run --shard K/M --state-out PART` and `merge`: shards merged give the
//! one-machine run's bytes in every format, and every part that is not of
//! the run, or not whole, is refused with the file named.
//!
//! What it pins: merged shards print the one-machine run's bytes in table,
//! JSON and CSV (uneven shards, parts in any order, shards on 1 and 2
//! threads, more shards than chunks, Latin hypercube, one shard); every
//! refusal of `merge` (another scenario, seed, trials, sampling, shard
//! count or version, a missing or repeated shard, a truncated, corrupt,
//! empty or foreign file) with exit 2, the file named and no report
//! written; `--shard` with an option that asks for a report is refused;
//! the Slurm example's task and merge command lines run one after another,
//! and are submitted to a real single-node Slurm when `KPISIM_SLURM=1` (CI
//! starts one with `.ci/slurm.sh` and sets it); the Kubernetes example's
//! shard count and merge agree; `stress` split by case and a `sweep` split
//! by range give the whole command's rows.

use crate::util::{Dir, root};

const SCENARIO: &str = "scenarios/shandian-2016-bigr.toml";

/// A scenario copied into `d`, so that shards and the run name it alike.
fn scenario(d: &Dir) -> String {
    let text = std::fs::read_to_string(root().join(SCENARIO)).unwrap();
    d.create("plan.toml", &text);
    "plan.toml".to_string()
}

/// Writes shards `0..m` of a run and returns the parts' names.
fn shards(d: &Dir, s: &str, trials: &str, seed: &str, m: u64, extra: &[&str]) -> Vec<String> {
    (0..m)
        .map(|k| {
            let tag: String = extra
                .concat()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            let part = format!("part-{k}-of-{m}-{seed}-{trials}{tag}-{}.kps", s.len());
            let shard = format!("{k}/{m}");
            let mut args = vec![
                "run",
                s,
                "--trials",
                trials,
                "--seed",
                seed,
                "--shard",
                &shard,
                "--state-out",
                &part,
            ];
            args.extend_from_slice(extra);
            let out = d.run(&args).ok();
            assert_eq!(out, "", "a shard prints no report");
            part
        })
        .collect()
}

fn merge(d: &Dir, parts: &[String], format: &str) -> Vec<u8> {
    let mut args = vec!["merge", "--format", format];
    args.extend(parts.iter().map(String::as_str));
    d.run(&args).code(0).output.stdout
}

fn one_run(d: &Dir, s: &str, trials: &str, seed: &str, format: &str, extra: &[&str]) -> Vec<u8> {
    let mut args = vec![
        "run", s, "--trials", trials, "--seed", seed, "--format", format,
    ];
    args.extend_from_slice(extra);
    d.run(&args).code(0).output.stdout
}

#[test]
fn merged_shards_print_the_one_machine_run_in_every_format() {
    let d = Dir::new();
    let s = scenario(&d);
    // 50,000 trials are 7 chunks, the last one short: 3 shards of 2, 2 and 3.
    let parts = shards(&d, &s, "50000", "11", 3, &[]);
    for format in ["json", "table", "csv"] {
        let merged = merge(&d, &parts, format);
        let run = one_run(&d, &s, "50000", "11", format, &[]);
        assert!(merged == run, "merge --format {format} differs from run");
    }
    // Parts in any order, the report written to a file.
    let mut shuffled = parts.clone();
    shuffled.reverse();
    let mut args = vec!["merge", "-o", "report.json"];
    args.extend(shuffled.iter().map(String::as_str));
    d.run(&args).ok();
    assert_eq!(
        std::fs::read(d.path("report.json")).unwrap(),
        one_run(&d, &s, "50000", "11", "json", &[])
    );
}

#[test]
fn shards_may_run_on_any_threads_and_outnumber_the_chunks() {
    let d = Dir::new();
    let s = scenario(&d);
    // 20,000 trials are 3 chunks: of 5 shards, 2 hold none.
    let mut parts = shards(&d, &s, "20000", "5", 5, &["--threads", "1"]);
    let two = shards(&d, &s, "20000", "5", 5, &["--threads", "2"]);
    parts[1] = two[1].clone();
    let merged = merge(&d, &parts, "json");
    assert!(merged == one_run(&d, &s, "20000", "5", "json", &["--threads", "2"]));
    let json: serde_json::Value = serde_json::from_slice(&merged).unwrap();
    assert_eq!(json["trials"], 20000);
}

#[test]
fn a_latin_hypercube_run_shards_too() {
    let d = Dir::new();
    let s = scenario(&d);
    let parts = shards(&d, &s, "30000", "2", 2, &["--sampling", "lhs"]);
    assert!(
        merge(&d, &parts, "json") == one_run(&d, &s, "30000", "2", "json", &["--sampling", "lhs"])
    );
}

#[test]
fn one_shard_is_the_whole_run() {
    let d = Dir::new();
    let s = scenario(&d);
    let parts = shards(&d, &s, "10000", "7", 1, &[]);
    assert!(merge(&d, &parts, "csv") == one_run(&d, &s, "10000", "7", "csv", &[]));
}

/// `merge` of `parts` fails with exit 2, names `file` and says `why`, and
/// writes no report.
fn refused(d: &Dir, parts: &[&str], pieces: &[&str]) {
    let mut args = vec!["merge", "--output", "report.json"];
    args.extend_from_slice(parts);
    d.run(&args).code(2).stderr_has(pieces);
    assert!(!d.path("report.json").exists(), "no report after a refusal");
}

#[test]
fn parts_of_other_runs_missing_or_repeated_shards_are_refused() {
    let d = Dir::new();
    let s = scenario(&d);
    let p = shards(&d, &s, "20000", "3", 3, &[]);
    let (p0, p1, p2) = (p[0].as_str(), p[1].as_str(), p[2].as_str());
    refused(&d, &[p0, p2], &["shard 1 of 3 missing", p0, p2]);
    refused(&d, &[p0, p1, p1, p2], &[p1, "shard 1/3 again"]);
    let seed = shards(&d, &s, "20000", "4", 3, &[]);
    refused(&d, &[p0, &seed[1], p2], &[&seed[1], "seed 4", "seed 3"]);
    let trials = shards(&d, &s, "30000", "3", 3, &[]);
    refused(&d, &[p0, &trials[1], p2], &[&trials[1], "trials 30000"]);
    let count = shards(&d, &s, "20000", "3", 2, &[]);
    refused(&d, &[p0, &count[1], p2], &[&count[1], "shard count 2"]);
    let lhs = shards(&d, &s, "20000", "3", 3, &["--sampling", "lhs"]);
    refused(&d, &[p0, &lhs[1], p2], &[&lhs[1], "sampling lhs"]);
    let other = d.create(
        "other.toml",
        &std::fs::read_to_string(d.path("plan.toml"))
            .unwrap()
            .replacen("name = ", "# another plan\nname = ", 1),
    );
    let other = other.file_name().unwrap().to_str().unwrap().to_string();
    let scen = shards(&d, &other, "20000", "3", 3, &[]);
    refused(&d, &[p0, &scen[1], p2], &[&scen[1], "scenario_sha256"]);
}

#[test]
fn truncated_corrupt_or_foreign_parts_are_refused() {
    let d = Dir::new();
    let s = scenario(&d);
    let p = shards(&d, &s, "20000", "3", 2, &[]);
    let bytes = std::fs::read(d.path(&p[1])).unwrap();
    std::fs::write(d.path("short.kps"), &bytes[..bytes.len() / 2]).unwrap();
    refused(&d, &[&p[0], "short.kps"], &["short.kps", "truncated"]);
    std::fs::write(d.path("empty.kps"), b"").unwrap();
    refused(
        &d,
        &[&p[0], "empty.kps"],
        &["empty.kps", "not a kpisim shard state"],
    );
    for at in [40, bytes.len() / 2, bytes.len() - 1] {
        let mut bad = bytes.clone();
        bad[at] ^= 0x10;
        std::fs::write(d.path("bad.kps"), &bad).unwrap();
        refused(&d, &[&p[0], "bad.kps"], &["bad.kps", "corrupt"]);
    }
    refused(&d, &[&p[0], &s], &[&s, "not a kpisim shard state"]);
    refused(&d, &[&p[0], "absent.kps"], &["absent.kps", "cannot read"]);
}

#[test]
fn parts_of_another_version_or_format_are_refused() {
    let d = Dir::new();
    let s = scenario(&d);
    let p = shards(&d, &s, "20000", "3", 2, &[]);
    let part = kpisim::shard_state::read(&d.path(&p[1])).unwrap();
    let mut header = part.header.clone();
    header.kpisim = "0.0.1".into();
    std::fs::write(
        d.path("old.kps"),
        kpisim::shard_state::encode(&header, &part.state),
    )
    .unwrap();
    refused(
        &d,
        &[&p[0], "old.kps"],
        &["old.kps", "written by kpisim 0.0.1"],
    );
    let mut bytes = std::fs::read(d.path(&p[1])).unwrap();
    bytes[8] = 9;
    std::fs::write(d.path("future.kps"), &bytes).unwrap();
    refused(&d, &[&p[0], "future.kps"], &["future.kps", "format 9"]);
    // Re-encoding what was read gives the same bytes: nothing is lost.
    assert_eq!(
        kpisim::shard_state::encode(&part.header, &part.state),
        std::fs::read(d.path(&p[1])).unwrap()
    );
}

#[test]
fn shard_options_that_ask_for_a_report_are_refused() {
    let d = Dir::new();
    let s = scenario(&d);
    for (extra, flag) in [
        (vec!["--format", "json"], "--format"),
        (vec!["--output", "r.json"], "--output"),
        (vec!["--point"], "--point"),
        (vec!["--trials-out", "t.csv"], "--trials-out"),
        (vec!["--precision", "0.01"], "--precision"),
    ] {
        let mut args = vec!["run", &s, "--shard", "0/2", "--state-out", "p.kps"];
        args.extend_from_slice(&extra);
        d.run(&args).code(2).stderr_has(&[flag]);
    }
    d.run(&["run", &s, &s, "--shard", "0/2", "--state-out", "p.kps"])
        .code(2)
        .stderr_has(&["one scenario"]);
    d.run(&["run", &s, "--shard", "2/2", "--state-out", "p.kps"])
        .code(2)
        .stderr_has(&["from 0 to 1"]);
    d.run(&["run", &s, "--shard", "0/2"]).code(2);
    d.run(&["run", &s, "--state-out", "p.kps"]).code(2);
    assert!(!d.path("p.kps").exists());
}

/// The settings of examples/slurm/array.sh for a run of `s`, the parts
/// going to `parts`.
fn array_env<'a>(
    s: &'a str,
    trials: &'a str,
    seed: &'a str,
    m: &'a str,
) -> [(&'a str, &'a str); 6] {
    [
        ("SCENARIO", s),
        ("TRIALS", trials),
        ("SEED", seed),
        ("M", m),
        ("PARTS", "parts"),
        ("KPISIM", env!("CARGO_BIN_EXE_kpisim")),
    ]
}

/// The Slurm example's task and merge command lines, run here one after
/// another as the array's tasks and the dependent job would run them.
#[test]
fn the_slurm_array_script_merges_to_the_one_machine_run() {
    let d = Dir::new();
    let s = scenario(&d);
    let script = root().join("examples/slurm/array.sh");
    let env = array_env(&s, "40000", "9", "4");
    let bash = |args: &[&str], k: Option<u64>| {
        let mut cmd = std::process::Command::new("bash");
        cmd.arg(&script).args(args).current_dir(d.path("."));
        cmd.envs(env);
        if let Some(k) = k {
            cmd.env("SLURM_ARRAY_TASK_ID", k.to_string());
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "array.sh {args:?} (task {k:?}) failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    for k in 0..4 {
        bash(&["task"], Some(k));
    }
    bash(&["merge"], None);
    assert_eq!(
        std::fs::read(d.path("parts/report.json")).unwrap(),
        one_run(&d, &s, "40000", "9", "json", &[])
    );
    // Its `local` mode runs the same lines.
    std::fs::remove_dir_all(d.path("parts")).unwrap();
    bash(&["local"], None);
    assert_eq!(
        std::fs::read(d.path("parts/report.json")).unwrap(),
        one_run(&d, &s, "40000", "9", "json", &[])
    );
}

/// The Slurm example submitted for real: a job array and a merge job that
/// waits for it. CI starts a single-node cluster (.ci/slurm.sh) and sets
/// KPISIM_SLURM=1; elsewhere the test says it has nothing to run on.
#[test]
fn the_slurm_array_runs_on_a_real_cluster() {
    if std::env::var_os("KPISIM_SLURM").is_none() {
        eprintln!("note: KPISIM_SLURM is not set: no Slurm cluster to submit the array to");
        return;
    }
    let d = Dir::new();
    let s = scenario(&d);
    let out = std::process::Command::new("bash")
        .arg(root().join("examples/slurm/array.sh"))
        .arg("submit")
        .current_dir(d.path("."))
        .envs(array_env(&s, "30000", "4", "3"))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "submit failed:\n{said}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let merge_job = said
        .lines()
        .last()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let report = d.path("parts/report.json");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(180);
    loop {
        let queue = std::process::Command::new("squeue")
            .args(["-h", "-j", &merge_job, "-o", "%T"])
            .output()
            .unwrap();
        let state = String::from_utf8_lossy(&queue.stdout).trim().to_string();
        if state.is_empty() {
            // Left the queue: done, or failed (its log says why).
            let log = std::fs::read_to_string(d.path("parts/merge.log")).unwrap_or_default();
            assert!(
                report.exists(),
                "merge job {merge_job} ended without a report:\n{log}"
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "merge job {merge_job} still {state:?} after 180 s; files: {:?}",
            std::fs::read_dir(d.path("parts")).map(|r| r.count())
        );
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    assert_eq!(
        std::fs::read(report).unwrap(),
        one_run(&d, &s, "30000", "4", "json", &[])
    );
}

/// The Kubernetes example shards as many ways as it has completions, and
/// merges every part.
#[test]
fn the_kubernetes_example_agrees_with_itself() {
    let job = std::fs::read_to_string(root().join("examples/k8s/indexed-job.yaml")).unwrap();
    let merge = std::fs::read_to_string(root().join("examples/k8s/merge-job.yaml")).unwrap();
    let field = |key: &str| -> u64 {
        let line = job
            .lines()
            .find(|l| l.trim_start().starts_with(key))
            .unwrap();
        line.split(':').nth(1).unwrap().trim().parse().unwrap()
    };
    let m = field("completions:");
    assert_eq!(field("parallelism:"), m);
    assert!(job.contains(&format!("--shard \"${{JOB_COMPLETION_INDEX}}/{m}\"")));
    assert!(job.contains("completionMode: Indexed"));
    for k in 0..m {
        assert!(
            merge.contains(&format!("/parts/part-{k}.kps")),
            "merge lacks part {k}"
        );
    }
    assert!(!merge.contains(&format!("/parts/part-{m}.kps")));
}

/// Stress and sweep are sharded by case and by step (docs/guide.md): each case
/// run on its own (`--case`, with its baseline) and each part of a sweep's
/// range give the rows of the whole command.
#[test]
fn stress_shards_by_case_and_sweep_by_step() {
    let d = Dir::new();
    let s = scenario(&d);
    let common = ["--trials", "20000", "--seed", "6", "--format", "json"];
    let json = |args: &[&str]| -> serde_json::Value {
        let mut all = args.to_vec();
        all.extend_from_slice(&common);
        d.run(&all).json()
    };
    let whole = json(&["stress", &s]);
    let cases = whole["cases"].as_array().unwrap();
    assert!(cases.len() > 2);
    for case in &cases[1..] {
        let name = case["name"].as_str().unwrap();
        let alone = json(&["stress", &s, "--case", name]);
        assert_eq!(alone["cases"][0], cases[0], "baseline of --case {name}");
        assert_eq!(&alone["cases"][1], case, "--case {name}");
    }
    let lever = ["--set", "segments.big_r.retention.mean"];
    let sweep = |from: &str, to: &str, steps: &str| {
        let mut args = vec!["sweep", &s];
        args.extend_from_slice(&lever);
        args.extend_from_slice(&["--from", from, "--to", to, "--steps", steps]);
        json(&args)["points"].as_array().unwrap().clone()
    };
    let whole = sweep("0.30", "0.50", "11");
    let mut parts = sweep("0.30", "0.38", "5");
    parts.extend(sweep("0.40", "0.50", "6"));
    assert_eq!(parts, whole);
}
