//! Reading a scenario file: bytes (at most [`MAX_FILE_BYTES`]), TOML, the
//! structure check, serde, validation, and each stress case applied and
//! validated. Every problem gets the file, line and column, path and value.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::spans::{FieldPath, Seg, SpanIndex};
use super::validate::{self, Problem};
use super::{
    Loaded, Scenario, ScenarioError, ScenarioErrorKind as Rule, ScenarioErrors, ScenarioWarning,
    overrides, raw, schema,
};

/// Largest scenario file read: a scenario is a few kilobytes, and a file
/// named by mistake (`/dev/zero`, a log) must not be read until memory runs
/// out.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// What messages call a scenario given as text rather than as a file.
pub const TEXT_FILE: &str = "<toml>";

fn one(file: &str, kind: Rule) -> ScenarioErrors {
    ScenarioErrors(vec![ScenarioError {
        file: file.to_string(),
        position: None,
        path: String::new(),
        value: None,
        kind,
    }])
}

/// Reads, parses and validates a scenario file.
pub fn load(path: &Path) -> Result<Loaded, ScenarioErrors> {
    let file = path.display().to_string();
    let unreadable = |e: std::io::Error| one(&file, Rule::Unreadable(e.to_string()));
    if path.is_dir() {
        return Err(one(&file, Rule::Unreadable("it is a directory".into())));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(one(
            &file,
            Rule::TooLarge {
                limit: MAX_FILE_BYTES,
            },
        ));
    }
    from_bytes(&file, &bytes)
}

/// Parses and validates scenario bytes read from `file`.
pub fn from_bytes(file: &str, bytes: &[u8]) -> Result<Loaded, ScenarioErrors> {
    let Parsed {
        scenario,
        table,
        cases,
        warnings,
    } = parse_all(file, bytes)?;
    Ok(Loaded {
        file: file.to_string(),
        from_text: false,
        sha256: hex(&Sha256::digest(bytes)),
        bytes: bytes.to_vec(),
        scenario,
        table,
        cases,
        warnings,
    })
}

/// Parses and validates a scenario given as TOML text (by a program, such
/// as the Python package, rather than as a file): messages name it
/// [`TEXT_FILE`], its hash is that of the text's UTF-8 bytes, and its
/// reports name no file. Text has no size cap: it is already in memory.
pub fn from_text(text: &str) -> Result<Loaded, ScenarioErrors> {
    let mut l = from_bytes(TEXT_FILE, text.as_bytes())?;
    l.from_text = true;
    Ok(l)
}

/// A scenario file parsed and validated.
struct Parsed {
    scenario: Scenario,
    table: toml::Table,
    cases: Vec<Scenario>,
    warnings: Vec<ScenarioWarning>,
}

/// Parses and validates scenario bytes; `file` names them in errors.
///
/// ```
/// let text = r#"
/// name = "tiny"
/// months = 2
/// [targets]
/// revenue = 1_000_000
/// profit = 0
/// [costs]
/// creator_share = 0.65
/// operations_rate = 0.05
/// staff = 0
/// infra = 0
/// [marketing]
/// budget = 60_000
/// [acquisition]
/// cost_per_registration = 6.0
/// first_charge_rate = 0.02
/// [[segments]]
/// name = "all"
/// start_payers = 1000
/// share_of_new = 1.0
/// retention = 0.5
/// arpu = { dist = "normal", mean = 800, sd = 80 }
/// "#;
/// let s = kpisim::scenario::parse("tiny.toml", text.as_bytes()).unwrap();
/// let plan = kpisim::model::Model::compile(&s).point_plan();
/// // 10,000 registrations, 200 new payers, 500 old: 700 payers × 800.
/// assert_eq!(plan.monthly[0].revenue, 560_000.0);
///
/// let bad = text.replace("retention = 0.5", "retention = 1.5");
/// let err = kpisim::scenario::parse("tiny.toml", bad.as_bytes()).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "tiny.toml:21:13: segments[0].retention = 1.5: a rate must lie between 0 and 1; did you mean 0.015 (1.5%)?"
/// );
/// ```
pub fn parse(file: &str, bytes: &[u8]) -> Result<Scenario, ScenarioErrors> {
    parse_all(file, bytes).map(|p| p.scenario)
}

/// A TOML syntax error in a user's words: toml says "string values must be
/// quoted" for `revenue = 450M`, which is a number with a unit.
fn syntax_message(message: &str, text: &str, span: Option<std::ops::Range<usize>>) -> String {
    let token = span
        .and_then(|s| text.get(s))
        .map(|t| t.trim().to_string())
        .unwrap_or_default();
    if message.contains("must be quoted") {
        if token.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+') {
            return format!(
                "`{token}` is not a number: write numbers without units or suffixes \
                 (450_000_000 or 4.5e8), and quote text"
            );
        }
        return format!(
            "`{token}` is not a value: quote text (\"{token}\"), write numbers as 450_000_000"
        );
    }
    message.to_string()
}

/// The path of the key on the line at `offset` of a file that does not
/// parse, read from the text: the last `[table]` or `[[array]]` header
/// above it, and the key before `=` (empty when the line has none).
fn syntax_path(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or_default();
    let Some((key, _)) = line.split_once('=') else {
        return String::new();
    };
    let key = key.trim().trim_matches('"');
    let mut header = String::new();
    for l in before[..line_start].lines().rev() {
        let l = l.trim();
        if let Some(name) = l.strip_prefix("[[").and_then(|r| r.split("]]").next()) {
            let name = name.trim();
            let count = before[..line_start]
                .lines()
                .filter(|x| x.trim().starts_with(&format!("[[{name}]]")))
                .count();
            header = format!("{name}[{}].", count.saturating_sub(1));
            break;
        }
        if let Some(name) = l.strip_prefix('[').and_then(|r| r.split(']').next()) {
            header = format!("{}.", name.trim());
            break;
        }
    }
    format!("{header}{key}")
}

/// Parses and validates the scenario and every stress case.
fn parse_all(file: &str, bytes: &[u8]) -> Result<Parsed, ScenarioErrors> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        one(
            file,
            Rule::NotUtf8 {
                byte: e.valid_up_to(),
            },
        )
    })?;
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let index = SpanIndex::new(text);
        let message = syntax_message(e.message().trim(), text, e.span());
        ScenarioErrors(vec![ScenarioError {
            file: file.to_string(),
            position: e.span().map(|s| index.line_col(s.start)),
            path: e
                .span()
                .map(|s| syntax_path(text, s.start))
                .unwrap_or_default(),
            value: None,
            kind: Rule::Syntax(message),
        }])
    })?;
    let errors = |problems: Vec<Problem>| {
        let index = SpanIndex::new(text);
        ScenarioErrors(
            problems
                .into_iter()
                .map(|p| ScenarioError {
                    file: file.to_string(),
                    position: index.position_of(&p.path),
                    path: p.path.to_string(),
                    value: p.value,
                    kind: p.kind,
                })
                .collect(),
        )
    };
    let structure = schema::check(&table);
    if !structure.is_empty() {
        return Err(errors(structure));
    }
    let raw: raw::RawScenario = {
        use serde::Deserialize;
        raw::RawScenario::deserialize(toml::Value::Table(table.clone()))
            .map_err(|e| one(file, Rule::Syntax(e.message().trim().to_string())))?
    };
    let scenario = validate::validate(&raw).map_err(errors)?;
    let mut cases = Vec::with_capacity(scenario.stress.len());
    let mut problems = Vec::new();
    for (i, case) in scenario.stress.iter().enumerate() {
        match overrides::apply_case(&table, i).map(super::from_table) {
            Ok(Ok(s)) => cases.push(s),
            Err(p) => problems.push(*p),
            Ok(Err(ps)) => problems.extend(ps.into_iter().map(|p| Problem {
                path: case_key_for(&table, i, &p.path),
                value: None,
                kind: Rule::CaseInvalid {
                    case: case.name.clone(),
                    field: p.path.to_string(),
                    value: p.value,
                    rule: Box::new(p.kind),
                },
            })),
        }
    }
    if !problems.is_empty() {
        return Err(errors(problems));
    }
    let index = SpanIndex::new(text);
    let warnings = validate::slips(&raw, &table)
        .into_iter()
        .map(|(path, value, slip)| ScenarioWarning {
            file: file.to_string(),
            position: index.position_of(&path),
            path: path.to_string(),
            value,
            slip,
        })
        .collect();
    Ok(Parsed {
        scenario,
        table,
        cases,
        warnings,
    })
}

/// The key of stress case `i` that made `problem` (a path such as
/// `segments[0].retention.sd`): the `set` or `scale` key naming that field,
/// or the input or segment it belongs to; else the case itself.
fn case_key_for(table: &toml::Table, i: usize, problem: &FieldPath) -> FieldPath {
    let names = super::paths::segment_names(table);
    // segments[0].retention.sd -> segments.big_r.retention.sd
    let dotted: Vec<String> = problem
        .0
        .iter()
        .map(|seg| match seg {
            Seg::Key(k) => k.clone(),
            Seg::Index(n) => names
                .get(*n)
                .map_or_else(|| n.to_string(), |s| s.to_string()),
        })
        .collect();
    let at = FieldPath::default().key("stress").index(i);
    let case = table
        .get("stress")
        .and_then(toml::Value::as_array)
        .and_then(|a| a.get(i));
    for section in ["set", "scale"] {
        let Some(keys) = case
            .and_then(|c| c.get(section))
            .and_then(toml::Value::as_table)
        else {
            continue;
        };
        if let Some(k) = (1..=dotted.len())
            .rev()
            .map(|n| dotted[..n].join("."))
            .find(|p| keys.contains_key(p))
        {
            return at.key(section).key(&k);
        }
    }
    at
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
