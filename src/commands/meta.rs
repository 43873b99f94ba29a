//! `kpisim completions` and `kpisim man`: what a command-line user expects
//! besides `--help`, generated from the same definitions. Each
//! subcommand's manual page lists every option its `--help` lists (clap
//! renders both), then the exit codes and an example.

use clap::CommandFactory;

use super::emit;
use crate::cli::{Cli, ManArgs};
use crate::error::{Error, Result};
use crate::options::OutputOptions;
use crate::output::{DirTarget, Outputs};

/// Prints the completion script of `shell`.
pub fn completions(shell: clap_complete::Shell) -> Result<()> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "kpisim", &mut buf);
    emit(&OutputOptions::text()?, &buf)
}

/// An example of each subcommand, for its manual page.
const EXAMPLES: [(&str, &str); 16] = [
    (
        "run",
        "kpisim run scenarios/shandian-2016.toml --trials 1e6 --seed 7",
    ),
    ("check", "kpisim check scenarios/shandian-2016-bigr.toml"),
    (
        "stress",
        "kpisim stress scenarios/shandian-2016-bigr.toml --format csv -o stress.csv",
    ),
    (
        "sweep",
        "kpisim sweep scenarios/shandian-2016-bigr.toml --set segments.big_r.retention.mean --from 0.5 --to 0.7",
    ),
    (
        "kpis",
        "kpisim kpis scenarios/shandian-2016.toml --confidence 0.8",
    ),
    (
        "sensitivity",
        "kpisim sensitivity scenarios/shandian-2016-bigr.toml",
    ),
    (
        "explain",
        "kpisim explain scenarios/shandian-2016-bigr.toml --target profit",
    ),
    (
        "solve",
        "kpisim solve scenarios/shandian-2016.toml --lever marketing.budget --confidence 0.8",
    ),
    (
        "fit",
        "kpisim fit scenarios/history-2015.csv --plan scenarios/shandian-2016.toml -o fitted.toml --holdout 3",
    ),
    (
        "track",
        "kpisim track scenarios/shandian-2016.toml --actuals scenarios/actuals-2016-q1.csv",
    ),
    (
        "report",
        "kpisim report scenarios/shandian-2016-bigr.toml -o report.html",
    ),
    ("merge", "kpisim merge part-0.bin part-1.bin --format json"),
    (
        "serve",
        "kpisim serve scenarios/shandian-2016-bigr.toml --port 8080",
    ),
    (
        "completions",
        "kpisim completions bash > ~/.local/share/bash-completion/completions/kpisim",
    ),
    (
        "man",
        "kpisim man --dir ~/.local/share/man/man1 && man kpisim-run",
    ),
    ("kpisim", "kpisim run scenarios/shandian-2016.toml"),
];

/// The exit codes, as every page says them.
const EXIT_STATUS: &str = ".SH \"EXIT STATUS\"\n.TP\n0\nSuccess.\n.TP\n1\nA failure around the run: \
writing an output, a closed standard output, no threads.\n.TP\n2\nA usage error, an invalid \
scenario, history or part (the message names the file, line, field, value and rule), or a run \
that left finite numbers.\n";

/// The manual page of `cmd`: clap_mangen's sections, the exit codes and
/// the example.
fn page(cmd: clap::Command, example_of: &str) -> Result<(String, Vec<u8>)> {
    let man = clap_mangen::Man::new(cmd);
    let name = man.get_filename();
    let mut buf = Vec::new();
    man.render(&mut buf)
        .map_err(|e| Error::Other(format!("cannot render the manual page: {e}")))?;
    buf.extend_from_slice(EXIT_STATUS.as_bytes());
    if let Some((_, example)) = EXAMPLES.iter().find(|(c, _)| *c == example_of) {
        let text = format!(".SH EXAMPLE\n.nf\n{}\n.fi\n", example.replace('\\', "\\\\"));
        buf.extend_from_slice(text.as_bytes());
    }
    Ok((name, buf))
}

/// Every page: kpisim's, then one a subcommand, named as `man` finds them.
fn pages() -> Result<Vec<(String, Vec<u8>)>> {
    // Built as a whole first, so that each subcommand knows it is
    // `kpisim run` (its page is kpisim-run.1).
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let mut out = vec![page(root.clone(), "kpisim")?];
    for sub in root.get_subcommands().filter(|s| !s.is_hide_set()) {
        out.push(page(sub.clone(), sub.get_name())?);
    }
    Ok(out)
}

/// Prints a manual page, or writes every page into `--dir`.
pub fn man(a: &ManArgs) -> Result<()> {
    let pages = pages()?;
    if let Some(dir) = &a.dir {
        let dir = DirTarget::check("--dir", dir)?;
        let mut outputs = Outputs::new();
        for (name, bytes) in &pages {
            outputs.stage_bytes(Some(&dir.file(name)?), bytes)?;
        }
        return Ok(outputs.commit()?);
    }
    let wanted = match &a.subcommand {
        None => "kpisim.1".to_string(),
        Some(s) => format!("kpisim-{s}.1"),
    };
    let Some((_, bytes)) = pages.iter().find(|(n, _)| *n == wanted) else {
        let names: Vec<String> = pages
            .iter()
            .skip(1)
            .map(|(n, _)| {
                n.trim_start_matches("kpisim-")
                    .trim_end_matches(".1")
                    .to_string()
            })
            .collect();
        return Err(Error::from(crate::error::Usage::Range {
            flag: "man",
            value: a.subcommand.clone().unwrap_or_default(),
            range: format!("one of {}", names.join(", ")),
        }));
    };
    emit(&OutputOptions::text()?, bytes)
}
