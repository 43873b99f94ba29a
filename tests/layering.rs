//! The tree keeps its layering: data flows scenario -> model -> engine ->
//! aggregate -> analysis -> export -> output, with leaf helpers below and
//! the command line above; no module names one above it (`crate::` paths
//! only go down), every module of the library has a layer, and only the
//! command line knows clap. The layers and what each owns: the module doc
//! of src/lib.rs.

use crate::util::root;

/// Modules from the bottom up; each may name only those before it.
// `serve` sits above the options it takes and below the command that
// starts it: it names analysis, export and options, and only `commands`
// names it.
const LAYERS: [&str; 18] = [
    "present",
    "streams",
    "distr",
    "stats",
    "scenario",
    "history",
    "model",
    "engine",
    "shard_state",
    "aggregate",
    "analysis",
    "export",
    "output",
    "error",
    "cli",
    "options",
    "serve",
    "commands",
];

/// Every `.rs` file of module `m`.
fn files(m: &str) -> Vec<std::path::PathBuf> {
    let dir = root().join("src").join(m);
    let file = root().join("src").join(format!("{m}.rs"));
    let mut out = Vec::new();
    if file.is_file() {
        out.push(file);
    }
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn no_module_names_one_above_it() {
    let mut found = Vec::new();
    for (i, m) in LAYERS.iter().enumerate() {
        let above = &LAYERS[i + 1..];
        assert!(!files(m).is_empty(), "module {m} has no files");
        for f in files(m) {
            let text = std::fs::read_to_string(&f).unwrap();
            for (n, line) in text.lines().enumerate() {
                for up in above {
                    if line.contains(&format!("crate::{up}::"))
                        || line.contains(&format!("crate::{up};"))
                        || line.contains(&format!("crate::{up}}}"))
                    {
                        found.push(format!(
                            "{}:{}: {m} names {up}: {}",
                            f.display(),
                            n + 1,
                            line.trim()
                        ));
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn every_module_of_the_library_has_a_layer() {
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).unwrap();
    for line in lib.lines() {
        if let Some(m) = line
            .strip_prefix("pub mod ")
            .and_then(|l| l.strip_suffix(';'))
        {
            assert!(
                LAYERS.contains(&m),
                "src/lib.rs declares {m}, which has no layer"
            );
        }
    }
}

#[test]
fn only_the_command_line_knows_clap() {
    // The renderers, the analysis and everything below them take plain
    // types; clap's are mapped in cli/.
    let cli = LAYERS.iter().position(|m| *m == "cli").unwrap();
    let mut found = Vec::new();
    for m in &LAYERS[..cli] {
        for f in files(m) {
            let text = std::fs::read_to_string(&f).unwrap();
            for (n, line) in text.lines().enumerate() {
                if line.contains("clap::") || line.contains("use clap") {
                    found.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
