//! The documentation holds together: every relative link in README.md and
//! docs/*.md (inline links, images and reference definitions, outside code)
//! names a file of the repository, and the README stays a page a newcomer
//! reads to the end: at most 300 lines, with the quick start's two
//! commands (the default scenario's run, and `cargo test`). Web links
//! (`http(s)://`, `mailto:`) and pure `#anchors` are not checked; a file
//! link's `#fragment` is dropped before the file is looked for.

use std::path::{Path, PathBuf};

use crate::util::root;

/// The most lines the README may have (`wc -l README.md`).
const README_MAX_LINES: usize = 300;

/// README.md and every docs/*.md, sorted.
fn markdown_files() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("docs/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    assert!(!docs.is_empty(), "no docs/*.md");
    files.extend(docs);
    files
}

/// The lines of a Markdown text that are not inside a fenced code block,
/// with their inline code spans removed, each with its line number.
fn prose_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut fence: Option<char> = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        let marker = ['`', '~']
            .into_iter()
            .find(|&c| t.starts_with(&c.to_string().repeat(3)));
        match (fence, marker) {
            (None, Some(c)) => fence = Some(c),
            (Some(open), Some(c)) if open == c => fence = None,
            (None, None) => {
                // Text between a pair of backticks is code: keep the rest.
                let prose: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
                out.push((i + 1, prose));
            }
            _ => {}
        }
    }
    out
}

/// The targets of a text's inline links and images, `[text](target)` or
/// `[text](target "title")`, and of its reference definitions,
/// `[label]: target`, with their line numbers.
fn link_targets(text: &str) -> Vec<(usize, String)> {
    let mut targets = Vec::new();
    for (n, line) in prose_lines(text) {
        // A reference definition: the label's `]` is followed by `:`.
        let def = line.trim_start();
        if let Some(label_end) = def.strip_prefix('[').and_then(|d| d.find(']'))
            && let Some(after) = def[label_end + 2..].strip_prefix(':')
        {
            let target = after.split_whitespace().next().unwrap_or("");
            targets.push((n, target.to_string()));
            continue;
        }
        let mut rest = line.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            // The target ends at the parenthesis that closes the link.
            let mut depth = 0;
            let mut end = after.len();
            for (j, c) in after.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' if depth == 0 => {
                        end = j;
                        break;
                    }
                    ')' => depth -= 1,
                    _ => {}
                }
            }
            let inside = after[..end].trim();
            let target = inside
                .strip_prefix('<')
                .and_then(|t| t.split_once('>').map(|(t, _)| t))
                .unwrap_or_else(|| inside.split_whitespace().next().unwrap_or(""));
            targets.push((n, target.to_string()));
            rest = &after[end.min(after.len())..];
        }
    }
    targets
}

/// Whether a link target is for this test to check: not a web or mail
/// address, not an anchor in the same page.
fn is_relative(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    !(lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
        || target.starts_with('#'))
}

/// The relative links of `text` (the Markdown file `file` of the repository
/// at `repo`) that name no file of the repository, as `file:line: target`.
fn broken_links(repo: &Path, file: &Path, text: &str) -> Vec<String> {
    let repo = repo.canonicalize().expect("repository root");
    let base = file.parent().expect("a file has a directory");
    let mut broken = Vec::new();
    for (line, target) in link_targets(text) {
        if !is_relative(&target) {
            continue;
        }
        let path = target.split('#').next().unwrap_or("");
        let resolved = if path.is_empty() {
            None
        } else if let Some(from_root) = path.strip_prefix('/') {
            Some(repo.join(from_root))
        } else {
            Some(base.join(path))
        };
        let inside = resolved
            .and_then(|p| p.canonicalize().ok())
            .is_some_and(|p| p.starts_with(&repo));
        if !inside {
            broken.push(format!("{}:{line}: {target}", file.display()));
        }
    }
    broken
}

#[test]
fn every_relative_link_in_the_readme_and_docs_resolves() {
    let repo = root();
    let mut broken = Vec::new();
    let mut checked = 0;
    for file in markdown_files() {
        let text = std::fs::read_to_string(&file).expect("read a Markdown file");
        checked += link_targets(&text)
            .iter()
            .filter(|(_, t)| is_relative(t))
            .count();
        broken.extend(broken_links(&repo, &file, &text));
    }
    // The README links to each document, so a parser that finds nothing is
    // itself broken.
    assert!(checked >= 10, "only {checked} relative links found");
    assert!(
        broken.is_empty(),
        "relative links that name no file of the repository:\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_link_check_finds_a_broken_link_and_only_that() {
    let repo = root();
    let file = repo.join("docs/example.md");
    let text = "\
# Example

[the model](model.md), [a section](scenario.md#paths), [up](../README.md)
and ![a figure](report.png \"title\"), [here](#example), [web](https://example.com)
and [mail](mailto:someone@example.com); a [missing page](no-such-page.md#top),
a [missing figure](no-such.png) and a [way out](../../etc/passwd).
`[code](not-a-link.md)` is code.

```
[in a block](not-a-link-either.md)
```

[ref]: ../src/lib.rs
[gone]: ../src/no-such.rs
";
    let found = broken_links(&repo, &file, text);
    let targets: Vec<&str> = found
        .iter()
        .map(|b| b.rsplit(": ").next().unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            "no-such-page.md#top",
            "no-such.png",
            "../../etc/passwd",
            "../src/no-such.rs"
        ],
        "{found:?}"
    );
    assert!(found[0].contains("example.md:5:"), "{found:?}");
}

#[test]
fn the_readme_is_short_and_has_the_quick_start() {
    let text = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let lines = text.lines().count();
    assert!(
        lines <= README_MAX_LINES,
        "README.md has {lines} lines, more than {README_MAX_LINES}: move worked examples to docs/guide.md"
    );
    let prose: Vec<usize> = prose_lines(&text).iter().map(|(n, _)| *n).collect();
    let code: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|(i, l)| !prose.contains(&(i + 1)) && !l.trim_start().starts_with("```"))
        .map(|(_, l)| l.trim())
        .collect();
    assert!(
        code.iter().any(|l| l.starts_with("cargo test")),
        "no `cargo test` command in README.md's code"
    );
    assert!(
        code.iter()
            .any(|l| (l.starts_with("cargo run") || l.starts_with("kpisim"))
                && l.contains(" run scenarios/shandian-2016.toml")),
        "no command in README.md's code runs scenarios/shandian-2016.toml"
    );
}
