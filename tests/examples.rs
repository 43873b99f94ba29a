//! The container and cluster examples (Dockerfile, examples/k8s,
//! examples/slurm) and docs/cluster.md, which tells how to use them, hold
//! together and would run as written.
//!
//! What it pins: the Dockerfile builds in a stage of its own with
//! `cargo build --release --locked` on a Rust no older than the locked
//! dependencies need, and its final stage, on a pinned base, holds only the
//! binary and the scenarios and runs as a non-root user; the binary links
//! only what that base has. The Kubernetes manifests hold no ConfigMap (so
//! `kubectl apply` never replaces the user's scenario), mount the scenario
//! from the ConfigMap docs/cluster.md has the user create, under the key
//! the shards read, write parts to a ReadWriteMany claim both Jobs mount,
//! run the image docs/cluster.md builds (tagged with Cargo.toml's
//! version), use only known fields, the newest of which sets the Kubernetes
//! version the docs state, and ask for the memory the sizing table gives;
//! every name in docs/cluster.md's commands and the manifests' comments is
//! the manifests'; kubectl's own YAML reader, where kubectl is installed,
//! reads the manifests as this module does. The Slurm script asks Slurm
//! for CPUs, memory and time in `#SBATCH` lines sbatch reads, enough for
//! its default shard and merge, as docs/cluster.md says. The shard and
//! merge memory formulas of docs/cluster.md hold for the binary itself.
//!
//! kubeconform cannot be fetched here (no network but package registries),
//! so the manifests are read by a small YAML reader below, enough for the
//! block and flow styles they use, and checked against the fields this
//! module knows; tests/shard.rs checks the shard count and the parts list.

use std::collections::BTreeSet;
use std::path::Path;

use crate::util::{Dir, root};

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const MANIFESTS: [&str; 2] = [
    "examples/k8s/indexed-job.yaml",
    "examples/k8s/merge-job.yaml",
];
const SLURM: &str = "examples/slurm/array.sh";
const DOC: &str = "docs/cluster.md";

// ---------------------------------------------------------------------------
// A YAML reader for the subset the manifests use: block mappings and
// sequences (a sequence item may open a mapping), flow mappings and
// sequences, plain, single- and double-quoted scalars, `|` and `>` block
// scalars, comments, `---` between documents. Every scalar is a string.
// Anything else panics with its line, so a manifest that outgrows the
// reader fails here rather than being misread.

#[derive(Debug, Clone, PartialEq)]
enum Yaml {
    Str(String),
    Map(Vec<(String, Yaml)>),
    Seq(Vec<Yaml>),
}

impl Yaml {
    fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The node at a dotted path of mapping keys, or a panic naming it.
    fn at(&self, path: &str) -> &Yaml {
        path.split('.').fold(self, |node, key| {
            node.get(key)
                .unwrap_or_else(|| panic!("no `{path}` (at `{key}`) in {self:?}"))
        })
    }

    fn str(&self) -> &str {
        match self {
            Yaml::Str(s) => s,
            other => panic!("not a scalar: {other:?}"),
        }
    }

    fn seq(&self) -> &[Yaml] {
        match self {
            Yaml::Seq(s) => s,
            other => panic!("not a sequence: {other:?}"),
        }
    }

    /// The same document with every mapping's keys in order, to compare
    /// two writings of it.
    fn sorted(&self) -> Yaml {
        match self {
            Yaml::Str(s) => Yaml::Str(s.clone()),
            Yaml::Seq(s) => Yaml::Seq(s.iter().map(Yaml::sorted).collect()),
            Yaml::Map(m) => {
                let mut m: Vec<_> = m.iter().map(|(k, v)| (k.clone(), v.sorted())).collect();
                m.sort_by(|a, b| a.0.cmp(&b.0));
                Yaml::Map(m)
            }
        }
    }

    /// Every scalar's path, sequences written `[]`:
    /// `spec.template.spec.containers[].name`.
    fn leaf_paths(&self, prefix: &str, out: &mut BTreeSet<String>) {
        match self {
            Yaml::Str(_) => {
                out.insert(prefix.to_string());
            }
            Yaml::Seq(s) => s
                .iter()
                .for_each(|v| v.leaf_paths(&format!("{prefix}[]"), out)),
            Yaml::Map(m) => m.iter().for_each(|(k, v)| {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                v.leaf_paths(&p, out)
            }),
        }
    }
}

struct Line {
    /// 1-based, for messages.
    no: usize,
    indent: usize,
    /// Without its comment and trailing blanks; None for a blank or
    /// comment-only line.
    text: Option<String>,
    raw: String,
}

/// `s` without a comment: `#` at the start or after a blank, outside quotes.
fn strip_comment(s: &str) -> &str {
    let (mut single, mut double, mut prev) = (false, false, ' ');
    for (i, c) in s.char_indices() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '#' if !single && !double && prev.is_whitespace() => return s[..i].trim_end(),
            _ => {}
        }
        prev = c;
    }
    s.trim_end()
}

fn is_item(t: &str) -> bool {
    t == "-" || t.starts_with("- ")
}

/// `key: value` (value possibly empty) of a block mapping's line.
fn split_key(t: &str) -> Option<(String, String)> {
    if t.starts_with(['{', '[', '"', '\'']) {
        return None;
    }
    let at = t
        .find(": ")
        .or_else(|| t.ends_with(':').then(|| t.len() - 1))?;
    Some((t[..at].trim().to_string(), t[at + 1..].trim().to_string()))
}

struct Reader {
    lines: Vec<Line>,
    i: usize,
}

impl Reader {
    /// The index of the next line that is not blank or a comment.
    fn peek(&mut self) -> Option<usize> {
        while self.i < self.lines.len() && self.lines[self.i].text.is_none() {
            self.i += 1;
        }
        (self.i < self.lines.len()).then_some(self.i)
    }

    fn text(&self, k: usize) -> &str {
        self.lines[k].text.as_deref().unwrap()
    }

    fn node(&mut self, min: usize) -> Yaml {
        let Some(k) = self.peek() else {
            return Yaml::Str(String::new());
        };
        let indent = self.lines[k].indent;
        assert!(indent >= min, "line {}: not indented", self.lines[k].no);
        if is_item(self.text(k)) {
            self.seq(indent)
        } else {
            self.map(indent)
        }
    }

    fn map(&mut self, n: usize) -> Yaml {
        let mut out: Vec<(String, Yaml)> = Vec::new();
        while let Some(k) = self.peek() {
            let (no, indent) = (self.lines[k].no, self.lines[k].indent);
            let text = self.text(k).to_string();
            if indent < n || (indent == n && is_item(&text)) {
                break;
            }
            assert_eq!(indent, n, "line {no}: indented {indent}, the mapping {n}");
            let (key, value) =
                split_key(&text).unwrap_or_else(|| panic!("line {no}: not `key: value`: {text}"));
            assert!(
                out.iter().all(|(k, _)| *k != key),
                "line {no}: `{key}` twice"
            );
            self.i = k + 1;
            let v = match value.as_str() {
                "" => match self.peek() {
                    Some(c) if self.lines[c].indent > n => self.node(n + 1),
                    Some(c) if self.lines[c].indent == n && is_item(self.text(c)) => self.seq(n),
                    _ => Yaml::Str(String::new()),
                },
                "|" | "|-" | ">" | ">-" => self.block_scalar(n, &value),
                v => self.plain_on(inline(v, no), n),
            };
            out.push((key, v));
        }
        Yaml::Map(out)
    }

    fn seq(&mut self, n: usize) -> Yaml {
        let mut out = Vec::new();
        while let Some(k) = self.peek() {
            let (no, indent) = (self.lines[k].no, self.lines[k].indent);
            let text = self.text(k).to_string();
            assert!(
                indent <= n,
                "line {no}: indented {indent} in a sequence at {n}"
            );
            if indent < n || !is_item(&text) {
                break;
            }
            let rest = text[1..].trim_start();
            if rest.is_empty() {
                self.i = k + 1;
                out.push(self.node(n + 1));
            } else if matches!(rest, "|" | "|-" | ">" | ">-") {
                self.i = k + 1;
                out.push(self.block_scalar(n, rest));
            } else if split_key(rest).is_none() {
                self.i = k + 1;
                let v = inline(rest, no);
                out.push(self.plain_on(v, n));
            } else {
                // `- key: value` opens a mapping whose keys stand where
                // `key` does: read this line again as its first.
                let column = n + (text.len() - rest.len());
                self.lines[k].indent = column;
                self.lines[k].text = Some(rest.to_string());
                out.push(self.map(column));
            }
        }
        Yaml::Seq(out)
    }

    /// A plain scalar with the lines that continue it, indented past `n`
    /// (a long value as kubectl writes it), each joined by a blank.
    fn plain_on(&mut self, v: Yaml, n: usize) -> Yaml {
        let Yaml::Str(mut s) = v else { return v };
        while let Some(k) = self.peek() {
            if self.lines[k].indent <= n {
                break;
            }
            let (no, t) = (self.lines[k].no, self.text(k));
            assert!(
                split_key(t).is_none() && !is_item(t),
                "line {no}: a mapping or item inside a scalar"
            );
            s.push(' ');
            s.push_str(self.text(k));
            self.i = k + 1;
        }
        Yaml::Str(s)
    }

    /// The lines under a `|` or `>` key at indent `n`.
    fn block_scalar(&mut self, n: usize, style: &str) -> Yaml {
        let mut body: Vec<String> = Vec::new();
        let mut at = None;
        while self.i < self.lines.len() {
            let l = &self.lines[self.i];
            let blank = l.raw.trim().is_empty();
            if !blank && l.indent <= n {
                break;
            }
            let indent = *at.get_or_insert(l.indent);
            body.push(if blank {
                String::new()
            } else {
                l.raw[indent.min(l.indent)..].to_string()
            });
            self.i += 1;
        }
        while body.last().is_some_and(String::is_empty) {
            body.pop();
        }
        let mut s = if style.starts_with('|') {
            body.join("\n")
        } else {
            // Folded: lines join with a blank, a blank line is a newline.
            let mut s = String::new();
            for line in &body {
                if line.is_empty() {
                    s.push('\n');
                } else {
                    if !s.is_empty() && !s.ends_with('\n') {
                        s.push(' ');
                    }
                    s.push_str(line);
                }
            }
            s
        };
        if !style.ends_with('-') {
            s.push('\n');
        }
        Yaml::Str(s)
    }
}

/// A value on the line of its key or item: flow collection, quoted or
/// plain scalar.
fn inline(v: &str, no: usize) -> Yaml {
    if !v.starts_with(['{', '[', '"', '\'']) {
        return Yaml::Str(v.to_string());
    }
    let chars: Vec<char> = v.chars().collect();
    let mut i = 0;
    let y = flow(&chars, &mut i, no);
    skip_blanks(&chars, &mut i);
    assert_eq!(i, chars.len(), "line {no}: text after the value: {v}");
    y
}

fn skip_blanks(c: &[char], i: &mut usize) {
    while *i < c.len() && c[*i].is_whitespace() {
        *i += 1;
    }
}

fn flow(c: &[char], i: &mut usize, no: usize) -> Yaml {
    skip_blanks(c, i);
    let expect = |i: &mut usize, what: char| {
        skip_blanks(c, i);
        assert!(
            *i < c.len() && c[*i] == what,
            "line {no}: `{what}` expected"
        );
        *i += 1;
    };
    match c.get(*i) {
        Some('{') => {
            *i += 1;
            let mut m = Vec::new();
            loop {
                skip_blanks(c, i);
                if c.get(*i) == Some(&'}') {
                    *i += 1;
                    return Yaml::Map(m);
                }
                let key = flow_scalar(c, i, no, true);
                expect(i, ':');
                m.push((key, flow(c, i, no)));
                skip_blanks(c, i);
                if c.get(*i) == Some(&',') {
                    *i += 1;
                }
            }
        }
        Some('[') => {
            *i += 1;
            let mut s = Vec::new();
            loop {
                skip_blanks(c, i);
                if c.get(*i) == Some(&']') {
                    *i += 1;
                    return Yaml::Seq(s);
                }
                s.push(flow(c, i, no));
                skip_blanks(c, i);
                if c.get(*i) == Some(&',') {
                    *i += 1;
                }
            }
        }
        Some(_) => Yaml::Str(flow_scalar(c, i, no, false)),
        None => panic!("line {no}: a value expected"),
    }
}

/// A quoted scalar, or a plain one up to `,`, `}`, `]` (or `:` for a key).
fn flow_scalar(c: &[char], i: &mut usize, no: usize, key: bool) -> String {
    skip_blanks(c, i);
    let mut s = String::new();
    match c.get(*i) {
        Some(&q @ ('"' | '\'')) => {
            *i += 1;
            loop {
                match c.get(*i) {
                    None => panic!("line {no}: unterminated {q}"),
                    Some('\\') if q == '"' => {
                        s.push(*c.get(*i + 1).expect("escape"));
                        *i += 2;
                    }
                    Some('\'') if q == '\'' && c.get(*i + 1) == Some(&'\'') => {
                        s.push('\'');
                        *i += 2;
                    }
                    Some(&ch) if ch == q => {
                        *i += 1;
                        return s;
                    }
                    Some(&ch) => {
                        s.push(ch);
                        *i += 1;
                    }
                }
            }
        }
        _ => {
            while let Some(&ch) = c.get(*i) {
                if matches!(ch, ',' | '}' | ']') || (key && ch == ':') {
                    break;
                }
                s.push(ch);
                *i += 1;
            }
            s.trim().to_string()
        }
    }
}

/// The documents of a YAML text.
fn documents(text: &str) -> Vec<Yaml> {
    let mut docs = Vec::new();
    let mut lines = Vec::new();
    let flush = |lines: &mut Vec<Line>, docs: &mut Vec<Yaml>| {
        let mut r = Reader {
            lines: std::mem::take(lines),
            i: 0,
        };
        if r.peek().is_some() {
            let doc = r.node(0);
            assert!(r.peek().is_none(), "line {}: left over", r.lines[r.i].no);
            docs.push(doc);
        }
    };
    for (n, raw) in text.lines().enumerate() {
        if raw.trim_end() == "---" {
            flush(&mut lines, &mut docs);
            continue;
        }
        assert!(!raw.contains('\t'), "line {}: a tab", n + 1);
        let body = strip_comment(raw.trim_start());
        lines.push(Line {
            no: n + 1,
            indent: raw.len() - raw.trim_start().len(),
            text: (!body.is_empty()).then(|| body.to_string()),
            raw: raw.to_string(),
        });
    }
    flush(&mut lines, &mut docs);
    docs
}

/// Every document of every manifest, with its file.
fn manifests() -> Vec<(&'static str, Yaml)> {
    MANIFESTS
        .iter()
        .flat_map(|f| documents(&read(f)).into_iter().map(move |d| (*f, d)))
        .collect()
}

fn of_kind(kind: &str) -> Vec<Yaml> {
    manifests()
        .into_iter()
        .filter(|(_, d)| d.at("kind").str() == kind)
        .map(|(_, d)| d)
        .collect()
}

fn job(name: &str) -> Yaml {
    of_kind("Job")
        .into_iter()
        .find(|j| j.at("metadata.name").str() == name)
        .unwrap_or_else(|| panic!("no Job {name}"))
}

/// The one container of a Job's pods.
fn container(job: &Yaml) -> &Yaml {
    let c = job.at("spec.template.spec.containers").seq();
    assert_eq!(c.len(), 1, "one container a pod");
    &c[0]
}

/// The command line a container's shell runs.
fn shell_line(c: &Yaml) -> String {
    let command: Vec<&str> = c.at("command").seq().iter().map(Yaml::str).collect();
    assert_eq!(command, ["/bin/sh", "-c"]);
    let args = c.at("args").seq();
    assert_eq!(args.len(), 1);
    args[0].str().to_string()
}

/// The volume a container mounts at `dir`, and whether read-only.
fn volume_at<'j>(job: &'j Yaml, dir: &str) -> (&'j Yaml, bool) {
    let mount = container(job)
        .at("volumeMounts")
        .seq()
        .iter()
        .find(|m| m.at("mountPath").str() == dir)
        .unwrap_or_else(|| panic!("nothing mounted at {dir}"));
    let name = mount.at("name").str();
    let volume = job
        .at("spec.template.spec.volumes")
        .seq()
        .iter()
        .find(|v| v.at("name").str() == name)
        .unwrap_or_else(|| panic!("no volume {name}"));
    let read_only = mount.get("readOnly").is_some_and(|r| r.str() == "true");
    (volume, read_only)
}

/// The comment lines of the manifests and the whole of docs/cluster.md:
/// everywhere a reader is told a command.
fn told() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = read(DOC)
        .lines()
        .map(|l| (DOC.to_string(), l.to_string()))
        .collect();
    for f in MANIFESTS {
        for l in read(f).lines() {
            if let Some(c) = l.trim_start().strip_prefix('#') {
                out.push((f.to_string(), c.to_string()));
            }
        }
    }
    out
}

/// The word after each `marker` in `lines`, up to a blank or `quote`.
fn words_after(lines: &[(String, String)], marker: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (file, line) in lines {
        let mut rest = line.as_str();
        while let Some(at) = rest.find(marker) {
            rest = &rest[at + marker.len()..];
            let word: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '`' | ')' | ','))
                .collect();
            out.push((file.clone(), word));
        }
    }
    out
}

/// docs/cluster.md with every run of blanks and line breaks one blank, to
/// find a sentence wherever its lines break.
fn doc_words() -> String {
    read(DOC).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn cargo_version() -> String {
    let toml = read("Cargo.toml");
    let line = toml
        .lines()
        .find(|l| l.starts_with("version = "))
        .expect("Cargo.toml's version");
    line.split('"').nth(1).unwrap().to_string()
}

/// `1Gi`, `1536Mi`, `1G`, `500M` in bytes (Kubernetes' suffixes, and
/// Slurm's, where `M` and `G` are binary).
fn bytes(q: &str, slurm: bool) -> u64 {
    let (num, unit) = q.split_at(q.find(|c: char| !c.is_ascii_digit()).unwrap_or(q.len()));
    let n: u64 = num.parse().unwrap_or_else(|_| panic!("a quantity: {q}"));
    n * match (unit, slurm) {
        ("Ki", false) | ("K", true) => 1 << 10,
        ("Mi", false) | ("M", true) => 1 << 20,
        ("Gi", false) | ("G", true) => 1 << 30,
        ("M", false) => 1_000_000,
        ("G", false) => 1_000_000_000,
        ("", _) => 1,
        _ => panic!("a unit: {q}"),
    }
}

/// Peak memory, by docs/cluster.md's sizing table, of a shard of `n`
/// trials and of the merge of `total` trials in `m` parts.
fn shard_need(n: u64) -> u64 {
    32 * n + 25_000_000
}

fn merge_need(total: u64, m: u64) -> u64 {
    16 * (total + total / m) + 30_000_000
}

/// What every request adds to the table's figure (docs/cluster.md: "a
/// quarter more").
const MARGIN: f64 = 1.25;

fn with_margin(need: u64) -> u64 {
    (need as f64 * MARGIN) as u64
}

// ---------------------------------------------------------------------------

#[test]
fn the_yaml_reader_reads_each_form_the_manifests_use() {
    let text = "\
# a comment
a: 1 # trailing
b:
  c: \"x # not a comment\"
  d: ['p', \"q\", r]
e:
  - f: { g: h, i: [\"j\"] }
    k: l
  - plain item
  -
    m: n
f: >-
  one
  two

  three
g: |
  x
    y
h:
- at the key's indent
- a plain item
  on two lines
- >-
  folded
  item
i: after
---
# only a comment
---
z: 'it''s'
";
    let docs = documents(text);
    assert_eq!(docs.len(), 2, "{docs:?}");
    let d = &docs[0];
    assert_eq!(d.at("a").str(), "1");
    assert_eq!(d.at("b.c").str(), "x # not a comment");
    let ds: Vec<&str> = d.at("b.d").seq().iter().map(Yaml::str).collect();
    assert_eq!(ds, ["p", "q", "r"]);
    let e = d.at("e").seq();
    assert_eq!(e.len(), 3);
    assert_eq!(e[0].at("f.g").str(), "h");
    assert_eq!(e[0].at("f.i").seq()[0].str(), "j");
    assert_eq!(e[0].at("k").str(), "l");
    assert_eq!(e[1].str(), "plain item");
    assert_eq!(e[2].at("m").str(), "n");
    assert_eq!(d.at("f").str(), "one two\nthree");
    assert_eq!(d.at("g").str(), "x\n  y\n");
    assert_eq!(d.at("h").seq()[0].str(), "at the key's indent");
    assert_eq!(d.at("h").seq()[1].str(), "a plain item on two lines");
    assert_eq!(d.at("h").seq()[2].str(), "folded item");
    assert_eq!(d.at("i").str(), "after");
    assert_eq!(docs[1].at("z").str(), "it's");
    let mut paths = BTreeSet::new();
    d.leaf_paths("", &mut paths);
    assert!(paths.contains("e[].f.i[]"), "{paths:?}");
    // What it cannot read, it refuses.
    for bad in [
        "a: 1\n  b: 2\n",
        "a:\n  - x\n    y: 1\n",
        "a: {b: c\n",
        "a: 1\na: 2\n",
    ] {
        assert!(
            std::panic::catch_unwind(|| documents(bad)).is_err(),
            "read {bad:?}"
        );
    }
}

/// kubectl's own reader (sigs.k8s.io/yaml, through `kubectl kustomize`,
/// which needs no cluster) gives the same documents as the reader above.
#[test]
fn kubectl_reads_the_manifests_as_this_module_does() {
    let Ok(which) = std::process::Command::new("kubectl")
        .args(["version", "--client"])
        .output()
    else {
        eprintln!("note: kubectl is not installed: the manifests are read by this module alone");
        return;
    };
    assert!(which.status.success());
    let d = Dir::new();
    let mut listed = String::from("resources:\n");
    for f in MANIFESTS {
        let name = Path::new(f).file_name().unwrap().to_str().unwrap();
        d.create(name, &read(f));
        listed.push_str(&format!("  - {name}\n"));
    }
    d.create("kustomization.yaml", &listed);
    let out = std::process::Command::new("kubectl")
        .args(["kustomize", "."])
        .current_dir(d.path("."))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "kubectl kustomize: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key = |y: &Yaml| format!("{}/{}", y.at("kind").str(), y.at("metadata.name").str());
    let mut theirs: Vec<Yaml> = documents(&String::from_utf8(out.stdout).unwrap())
        .iter()
        .map(Yaml::sorted)
        .collect();
    let mut ours: Vec<Yaml> = manifests().iter().map(|(_, y)| y.sorted()).collect();
    theirs.sort_by_key(key);
    ours.sort_by_key(key);
    assert_eq!(ours.len(), 3, "a claim and two Jobs");
    assert_eq!(theirs, ours);
}

#[test]
fn the_manifests_hold_no_configmap() {
    // The user's `kubectl create configmap` would be replaced by it on
    // every `kubectl apply -f`.
    for (file, doc) in manifests() {
        assert_ne!(doc.at("kind").str(), "ConfigMap", "{file}");
    }
    for file in MANIFESTS {
        assert!(
            !read(file)
                .lines()
                .any(|l| strip_comment(l).trim() == "kind: ConfigMap"),
            "{file}"
        );
    }
}

#[test]
fn the_shards_read_the_scenario_from_the_users_configmap() {
    // docs/cluster.md and the manifests' comments tell the user one name
    // and one key.
    let creates = words_after(&told(), "kubectl create configmap ");
    assert!(creates.len() >= 2, "{creates:?}");
    let name = &creates[0].1;
    for (file, n) in &creates {
        assert_eq!(n, name, "{file}");
    }
    let keys = words_after(&told(), "--from-file=");
    assert_eq!(keys.len(), creates.len(), "{keys:?}");
    let key = keys[0].1.split('=').next().unwrap().to_string();
    for (file, k) in &keys {
        assert_eq!(k.split('=').next().unwrap(), key, "{file}");
    }

    let shards = job("kpisim-shards");
    let line = shell_line(container(&shards));
    let scenario = line
        .split_whitespace()
        .skip_while(|w| *w != "run")
        .nth(1)
        .expect("kpisim run SCENARIO");
    let (dir, file) = scenario.rsplit_once('/').unwrap();
    assert_eq!(
        file, key,
        "the shards read another key than the one created"
    );
    let (volume, read_only) = volume_at(&shards, dir);
    assert!(read_only, "the scenario is mounted read-only");
    assert_eq!(volume.at("configMap.name").str(), name);
    assert!(
        volume.at("configMap").get("items").is_none(),
        "items would rename the key"
    );
    // The merge reads the parts only, which carry the scenario.
    assert!(!read(MANIFESTS[1]).contains("configMap:"));
}

#[test]
fn both_jobs_share_a_read_write_many_claim_for_the_parts() {
    let claims = of_kind("PersistentVolumeClaim");
    assert_eq!(claims.len(), 1);
    let claim = &claims[0];
    let modes: Vec<&str> = claim
        .at("spec.accessModes")
        .seq()
        .iter()
        .map(Yaml::str)
        .collect();
    assert_eq!(
        modes,
        ["ReadWriteMany"],
        "pods on several nodes write to it"
    );
    let name = claim.at("metadata.name").str();
    let size = bytes(claim.at("spec.resources.requests.storage").str(), false);

    let shards = job("kpisim-shards");
    let line = shell_line(container(&shards));
    let trials: u64 = after(&line, "--trials").parse().unwrap();
    assert!(
        size as f64 >= 16.1 * trials as f64 * 1.2,
        "{size} bytes for the parts of {trials} trials"
    );
    let out_dir = after(&line, "--state-out")
        .trim_matches('"')
        .rsplit_once('/')
        .unwrap()
        .0
        .to_string();
    let merge = job("kpisim-merge");
    let merge_line = shell_line(container(&merge));
    let in_dir = after(&merge_line, "merge")
        .rsplit_once('/')
        .unwrap()
        .0
        .to_string();
    for (job, dir) in [(&shards, &out_dir), (&merge, &in_dir)] {
        let (volume, read_only) = volume_at(job, dir);
        assert!(!read_only);
        assert_eq!(volume.at("persistentVolumeClaim.claimName").str(), name);
    }
    for (file, n) in words_after(&told(), "kubectl get pvc ") {
        assert_eq!(n, name, "{file}");
    }
}

/// The word after `flag` in a command line.
fn after<'a>(line: &'a str, flag: &str) -> &'a str {
    let mut words = line.split_whitespace();
    words
        .find(|w| *w == flag)
        .unwrap_or_else(|| panic!("{flag} in {line}"));
    words.next().unwrap()
}

#[test]
fn every_pod_runs_the_image_the_docs_build() {
    let image = format!("kpisim:{}", cargo_version());
    for name in ["kpisim-shards", "kpisim-merge"] {
        assert_eq!(container(&job(name)).at("image").str(), image, "{name}");
    }
    let mut builds = words_after(&told(), "docker build -t ");
    for l in read("Dockerfile").lines() {
        if let Some(at) = l.find("docker build -t ") {
            builds.push((
                "Dockerfile".into(),
                l[at + 16..].split(' ').next().unwrap().into(),
            ));
        }
    }
    assert!(builds.len() >= 2, "{builds:?}");
    for (file, tag) in builds {
        assert_eq!(tag, image, "{file} builds another tag");
    }
    // Every other mention of a tag (run, tag, push, load, sed), here and in
    // the README, is it too.
    let mut files: Vec<(String, String)> = told();
    files.extend(
        read("README.md")
            .lines()
            .map(|l| ("README.md".into(), l.into())),
    );
    files.extend(
        read("Dockerfile")
            .lines()
            .map(|l| ("Dockerfile".into(), l.into())),
    );
    for (file, line) in files {
        for (at, _) in line.match_indices("kpisim:") {
            let tag: String = line[at..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '`' | '|' | ')' | ','))
                .collect();
            if tag.len() > 7 && tag.as_bytes()[7].is_ascii_digit() {
                assert_eq!(tag, image, "{file}: {line}");
            }
        }
    }
}

#[test]
fn the_commands_name_the_manifests_objects() {
    let told = told();
    let jobs: BTreeSet<String> = of_kind("Job")
        .iter()
        .map(|j| j.at("metadata.name").str().to_string())
        .collect();
    let named = words_after(&told, "job/");
    assert!(named.len() >= 4, "{named:?}");
    for (file, n) in named.iter().chain(&words_after(&told, "job-name=")) {
        assert!(jobs.contains(n), "{file}: job {n} is not in the manifests");
    }
    for (file, line) in &told {
        if let Some(at) = line.find("kubectl delete job ") {
            for n in line[at + 19..].split_whitespace() {
                assert!(jobs.contains(n), "{file}: job {n}");
            }
        }
    }
    // Each Job is waited for, and the report read from the merge.
    for n in &jobs {
        assert!(named.iter().any(|(_, w)| w == n), "nothing waits for {n}");
    }
    let applied = words_after(&told, "kubectl apply -f ");
    for f in MANIFESTS {
        assert!(applied.iter().any(|(_, p)| p == f), "{f} never applied");
    }
    for (file, p) in applied {
        assert!(p == "-" || root().join(&p).is_file(), "{file}: {p}");
    }
}

/// The fields each kind may have here, from the Kubernetes API reference,
/// with the release that made each usable without a feature gate where
/// that is newer than 1.21.
const POD: &str = "spec.template.spec.";
const FIELDS: &[(&str, &str, u32)] = &[
    ("*", "apiVersion", 21),
    ("*", "kind", 21),
    ("*", "metadata.name", 21),
    ("PersistentVolumeClaim", "spec.accessModes[]", 21),
    (
        "PersistentVolumeClaim",
        "spec.resources.requests.storage",
        21,
    ),
    ("PersistentVolumeClaim", "spec.storageClassName", 21),
    ("Job", "spec.completionMode", 24),
    ("Job", "spec.completions", 21),
    ("Job", "spec.parallelism", 21),
    ("Job", "spec.backoffLimit", 21),
    ("Job", "spec.backoffLimitPerIndex", 29),
    ("Job", "spec.maxFailedIndexes", 29),
    ("Job", "spec.ttlSecondsAfterFinished", 23),
    ("Job", "spec.activeDeadlineSeconds", 21),
    ("Pod", "restartPolicy", 21),
    ("Pod", "securityContext.runAsNonRoot", 21),
    ("Pod", "securityContext.runAsUser", 21),
    ("Pod", "securityContext.runAsGroup", 21),
    ("Pod", "securityContext.fsGroup", 21),
    ("Pod", "securityContext.seccompProfile.type", 21),
    ("Pod", "containers[].name", 21),
    ("Pod", "containers[].image", 21),
    ("Pod", "containers[].command[]", 21),
    ("Pod", "containers[].args[]", 21),
    ("Pod", "containers[].resources.requests.cpu", 21),
    ("Pod", "containers[].resources.requests.memory", 21),
    ("Pod", "containers[].resources.limits.cpu", 21),
    ("Pod", "containers[].resources.limits.memory", 21),
    (
        "Pod",
        "containers[].securityContext.allowPrivilegeEscalation",
        21,
    ),
    (
        "Pod",
        "containers[].securityContext.capabilities.drop[]",
        21,
    ),
    ("Pod", "containers[].volumeMounts[].name", 21),
    ("Pod", "containers[].volumeMounts[].mountPath", 21),
    ("Pod", "containers[].volumeMounts[].readOnly", 21),
    ("Pod", "volumes[].name", 21),
    ("Pod", "volumes[].persistentVolumeClaim.claimName", 21),
    ("Pod", "volumes[].configMap.name", 21),
];

/// The release a field needs, if this module knows the field.
fn field_since(kind: &str, path: &str) -> Option<u32> {
    FIELDS.iter().find_map(|(k, p, v)| {
        let hit = (*k == "*" || *k == kind) && *p == path
            || *k == "Pod" && kind == "Job" && path.strip_prefix(POD) == Some(p);
        hit.then_some(*v)
    })
}

#[test]
fn the_manifests_use_known_fields_and_the_docs_state_the_release_they_need() {
    let mut newest = 0;
    for (file, doc) in manifests() {
        let kind = doc.at("kind").str().to_string();
        let api = doc.at("apiVersion").str();
        match kind.as_str() {
            "Job" => assert_eq!(api, "batch/v1", "{file}"),
            "PersistentVolumeClaim" => assert_eq!(api, "v1", "{file}"),
            other => panic!("{file}: a {other}, unknown here"),
        }
        let mut paths = BTreeSet::new();
        doc.leaf_paths("", &mut paths);
        for p in paths {
            let since = field_since(&kind, &p)
                .unwrap_or_else(|| panic!("{file}: {kind} `{p}` is not a field known here"));
            newest = newest.max(since);
        }
        if kind == "Job" {
            // The API server's own rules for what these Jobs use.
            let pod = doc.at("spec.template.spec");
            assert_eq!(pod.at("restartPolicy").str(), "Never", "{file}");
            assert_eq!(
                pod.at("securityContext.runAsNonRoot").str(),
                "true",
                "{file}"
            );
            assert_ne!(pod.at("securityContext.runAsUser").str(), "0", "{file}");
            if let Some(mode) = doc.at("spec").get("completionMode") {
                assert_eq!(mode.str(), "Indexed", "{file}");
                let c: u32 = doc.at("spec.completions").str().parse().unwrap();
                let p: u32 = doc.at("spec.parallelism").str().parse().unwrap();
                assert!(p <= c && c <= 100_000, "{file}");
            }
        }
    }
    let stated = format!("Kubernetes 1.{newest} or newer");
    for file in [DOC, MANIFESTS[0]] {
        assert!(
            read(file).contains(&stated),
            "{file} does not say {stated:?}"
        );
    }
    let doc = read(DOC);
    for (at, _) in doc.match_indices("Kubernetes 1.") {
        assert!(
            doc[at..].starts_with(&stated),
            "docs/cluster.md: {}",
            &doc[at..at + 20]
        );
    }
}

#[test]
fn the_pods_ask_for_the_memory_the_sizing_table_gives() {
    let shards = job("kpisim-shards");
    let line = shell_line(container(&shards));
    let trials: u64 = after(&line, "--trials").parse().unwrap();
    let m: u64 = shards.at("spec.completions").str().parse().unwrap();
    let merge = job("kpisim-merge");
    for (job, need) in [
        (&shards, shard_need(trials.div_ceil(m))),
        (&merge, merge_need(trials, m)),
    ] {
        let r = container(job).at("resources");
        // Requests equal to limits: the pod is scheduled where its limit fits.
        assert_eq!(r.at("requests"), r.at("limits"));
        let limit = bytes(r.at("limits.memory").str(), false);
        assert!(
            limit >= with_margin(need),
            "{}: {limit} bytes for a need of {need}",
            job.at("metadata.name").str()
        );
    }
    let sentence = format!(
        "the manifests ask {} a shard and {} for the merge",
        container(&shards).at("resources.limits.memory").str(),
        container(&merge).at("resources.limits.memory").str()
    );
    assert!(
        doc_words().contains(&sentence),
        "docs/cluster.md lacks {sentence:?}"
    );
}

/// The `#SBATCH` options of the Slurm script, in order.
fn sbatch_options() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in read(SLURM).lines().skip(1) {
        let t = line.trim();
        if let Some(opt) = t.strip_prefix("#SBATCH ") {
            let (k, v) = opt.trim().split_once('=').expect("--option=value");
            out.push((k.to_string(), v.to_string()));
        } else if !(t.is_empty() || t.starts_with('#')) {
            // sbatch reads no directive after the first command.
            break;
        }
    }
    out
}

/// A default of the Slurm script: `NAME=${NAME:-value}`.
fn slurm_default(name: &str) -> u64 {
    let script = read(SLURM);
    let line = script
        .lines()
        .find(|l| l.starts_with(&format!("{name}=${{{name}:-")))
        .unwrap_or_else(|| panic!("no default for {name}"));
    let digits: String = line
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap()
}

#[test]
fn the_slurm_tasks_ask_for_cpus_memory_and_time() {
    let opts = sbatch_options();
    let get = |k: &str| {
        opts.iter()
            .find(|(o, _)| o == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no #SBATCH {k} before the script's first command"))
    };
    let cpus: u32 = get("--cpus-per-task").parse().unwrap();
    assert!(cpus >= 1);
    let mem = bytes(&get("--mem"), true);
    let time = get("--time");
    let parts: Vec<u64> = time.split(':').map(|p| p.parse().unwrap()).collect();
    let minutes = match parts[..] {
        [h, m, s] => h * 60 + m + s.div_ceil(60),
        [m, s] => m + s.div_ceil(60),
        _ => panic!("--time={time}"),
    };
    assert!(minutes >= 1);
    let (trials, m) = (slurm_default("TRIALS"), slurm_default("M"));
    let need = shard_need(trials.div_ceil(m));
    assert!(mem >= with_margin(need), "--mem {mem} for a task of {need}");
    // The task runs as many threads as Slurm gives it CPUs.
    assert!(read(SLURM).contains("--threads \"${SLURM_CPUS_PER_TASK:-$(nproc)}\""));
    let said = format!(
        "Each task asks for {cpus} CPUs, {} of memory and {minutes} minutes",
        get("--mem")
    );
    assert!(
        doc_words().contains(&said),
        "docs/cluster.md lacks {said:?}"
    );

    // The merge job's memory, from its own function, for the defaults.
    let script = read(SLURM);
    let start = script.find("merge_mem() {").expect("merge_mem");
    let function = &script[start..start + script[start..].find("\n}\n").unwrap() + 3];
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("{function}\nmerge_mem"))
        .env("TRIALS", trials.to_string())
        .env("M", m.to_string())
        .output()
        .unwrap();
    let mib: u64 = String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let need = merge_need(trials, m);
    assert!(
        mib << 20 >= with_margin(need),
        "merge --mem {mib}M for {need}"
    );
    assert!(script.contains("--mem=\"$(merge_mem)M\""));
}

/// A Dockerfile's instructions, continuation lines joined, comments out.
fn instructions(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut pending = String::new();
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('#') || t.is_empty() {
            continue;
        }
        if let Some(body) = t.strip_suffix('\\') {
            pending.push_str(body);
            continue;
        }
        pending.push_str(t);
        let (op, args) = pending.split_once(' ').unwrap_or((&pending, ""));
        out.push((op.to_ascii_uppercase(), args.trim().to_string()));
        pending.clear();
    }
    out
}

/// The newest Rust release a locked dependency of the binary (not a dev
/// dependency) declares it needs, as (major, minor).
fn locked_rust_version() -> (u32, u32) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let nodes = meta["resolve"]["nodes"].as_array().unwrap();
    let node = |id: &str| nodes.iter().find(|n| n["id"] == id).unwrap();
    let mut seen = BTreeSet::new();
    let mut todo = vec![meta["resolve"]["root"].as_str().unwrap().to_string()];
    while let Some(id) = todo.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        for dep in node(&id)["deps"].as_array().unwrap() {
            let kinds = dep["dep_kinds"].as_array().unwrap();
            if kinds.iter().any(|k| k["kind"] != "dev") {
                todo.push(dep["pkg"].as_str().unwrap().to_string());
            }
        }
    }
    meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| seen.contains(p["id"].as_str().unwrap()))
        .filter_map(|p| p["rust_version"].as_str())
        .map(|v| {
            let mut n = v.split('.').map(|x| x.parse::<u32>().unwrap());
            (n.next().unwrap(), n.next().unwrap_or(0))
        })
        .max()
        .unwrap()
}

#[test]
fn the_image_is_built_locked_and_holds_only_the_binary_and_scenarios() {
    let steps = instructions(&read("Dockerfile"));
    let stages: Vec<usize> = (0..steps.len()).filter(|&i| steps[i].0 == "FROM").collect();
    assert!(stages.len() >= 2, "a build stage and a run stage");
    assert_eq!(stages[0], 0);
    let from: Vec<&str> = stages.iter().map(|&i| steps[i].1.as_str()).collect();
    let (build_image, build_name) = from[0].split_once(" AS ").expect("a named build stage");
    for image in from.iter().map(|f| f.split(' ').next().unwrap()) {
        let tag = image.split_once(':').map(|t| t.1).unwrap_or("");
        assert!(
            tag.chars().any(|c| c.is_ascii_digit()) && !tag.contains("latest"),
            "{image}: a base pinned by a versioned tag"
        );
        assert!(
            read(DOC).contains(&format!("`{image}`")),
            "docs/cluster.md names {image}"
        );
    }
    let build = &steps[..stages[1]];
    assert!(
        build
            .iter()
            .any(|(op, a)| op == "RUN" && a.contains("cargo build --release --locked")),
        "the build stage builds the locked graph"
    );

    // The build image's Rust is new enough for Cargo.lock.
    let (major, minor) = locked_rust_version();
    let version = build_image
        .strip_prefix("rust:")
        .unwrap()
        .split('-')
        .next()
        .unwrap();
    let mut v = version.split('.').map(|x| x.parse::<u32>().unwrap());
    let image_rust = (v.next().unwrap(), v.next().unwrap());
    assert!(
        image_rust >= (major, minor),
        "{build_image} is older than the {major}.{minor} Cargo.lock needs"
    );

    // The run stage adds the binary and the scenarios, nothing else.
    let run = &steps[*stages.last().unwrap() + 1..];
    let mut copied = Vec::new();
    for (op, args) in run {
        match op.as_str() {
            "COPY" => copied.push(args.clone()),
            "WORKDIR" | "USER" | "ENTRYPOINT" | "CMD" | "ENV" | "LABEL" => {}
            other => panic!("the run stage has {other} {args}"),
        }
    }
    assert_eq!(copied.len(), 2, "{copied:?}");
    assert!(
        copied[0].starts_with(&format!("--from={build_name} ")),
        "{copied:?}"
    );
    assert!(copied[0].ends_with(" /usr/local/bin/kpisim"), "{copied:?}");
    assert!(copied[1].starts_with("scenarios "), "{copied:?}");

    let user = run
        .iter()
        .rev()
        .find(|(op, _)| op == "USER")
        .map(|(_, u)| u.as_str())
        .expect("a USER in the run stage");
    let uid = user.split(':').next().unwrap();
    assert!(
        uid.parse::<u32>().is_ok_and(|u| u != 0),
        "USER {user}: a non-root uid"
    );
    for file in MANIFESTS {
        for (_, doc) in manifests().iter().filter(|(f, _)| *f == file) {
            if let Some(sc) = doc.get("spec").and_then(|s| s.get("template")) {
                assert_eq!(sc.at("spec.securityContext.runAsUser").str(), uid, "{file}");
            }
        }
    }
    assert!(
        read(".dockerignore").lines().any(|l| l.trim() == "target/"),
        "a local target/ would be sent to the daemon"
    );
}

/// The run image has glibc, libm and libgcc_s and nothing else the binary
/// could link: a new shared library would need a change of base.
#[test]
fn the_binary_links_only_what_the_base_image_has() {
    let out = std::process::Command::new("ldd")
        .arg(env!("CARGO_BIN_EXE_kpisim"))
        .output();
    let Ok(out) = out else {
        eprintln!("note: no ldd here: the binary's libraries are not checked");
        return;
    };
    let text = String::from_utf8(out.stdout).unwrap();
    let libs: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(libs.iter().any(|l| l.starts_with("libc.so")), "{text}");
    for lib in libs {
        let known = [
            "linux-vdso",
            "libc.so",
            "libm.so",
            "libgcc_s.so",
            "ld-linux",
            "/lib64/ld-linux",
        ];
        assert!(
            known.iter().any(|k| lib.starts_with(k)),
            "the binary links {lib}, which the image may lack:\n{text}"
        );
    }
}

/// The peak resident memory of `kpisim args` in `d`, as GNU time reports
/// it, or None without GNU time. (The test process cannot ask the kernel
/// for its own child's peak: a spawned child's peak counts the pages it
/// shared with this large process before its exec.)
fn peak_memory(d: &Dir, args: &[&str]) -> Option<u64> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        return None;
    }
    let out = std::process::Command::new(time)
        .args(["-f", "peak %M"])
        .arg(env!("CARGO_BIN_EXE_kpisim"))
        .args(args)
        .current_dir(d.path("."))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "kpisim {args:?}: {err}");
    let kb: u64 = err
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("peak "))
        .expect("GNU time's line")
        .trim()
        .parse()
        .unwrap();
    Some(kb * 1024)
}

/// The sizing table's formulas, with the margin every request adds, bound
/// the real peak memory of a shard and of a merge (of the binary the tests
/// build, whose code is larger than a release build's), and are not far
/// above it.
#[test]
fn the_sizing_formulas_bound_the_real_peak_memory() {
    let d = Dir::new();
    let s = root().join("scenarios/shandian-2016.toml");
    let s = s.to_str().unwrap();
    let (trials, m) = (4_000_000_u64, 2_u64);
    let t = trials.to_string();
    let mut parts = Vec::new();
    let mut peaks = Vec::new();
    for k in 0..m {
        let part = format!("part-{k}.kps");
        let shard = format!("{k}/{m}");
        let args = [
            "run",
            s,
            "--trials",
            &t,
            "--seed",
            "3",
            "--shard",
            &shard,
            "--state-out",
            &part,
        ];
        let Some(peak) = peak_memory(&d, &args) else {
            eprintln!("note: no GNU time (/usr/bin/time): peak memory not measured");
            return;
        };
        peaks.push(peak);
        parts.push(part);
    }
    let n = trials / m;
    for peak in peaks {
        let need = shard_need(n);
        assert!(
            peak as f64 <= need as f64 * MARGIN,
            "a shard of {n} peaked at {peak} bytes"
        );
        assert!(
            peak * 2 > need,
            "a shard of {n} peaked at only {peak} bytes"
        );
    }
    let mut args = vec!["merge", "--format", "json"];
    args.extend(parts.iter().map(String::as_str));
    let peak = peak_memory(&d, &args).unwrap();
    let need = merge_need(trials, m);
    assert!(
        peak as f64 <= need as f64 * MARGIN,
        "the merge of {trials} peaked at {peak} bytes"
    );
    assert!(
        peak * 2 > need,
        "the merge of {trials} peaked at only {peak} bytes"
    );
}
