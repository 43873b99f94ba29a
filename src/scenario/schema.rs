//! The shape of a scenario file, written once: which fields each table
//! has, in the order the format lists them, what each takes, and which
//! parameters each distribution family takes. Everything that needs the
//! shape reads it here: the structure check (every unknown field, missing
//! field and wrong type at once, in a user's words, before serde sees the
//! file), the paths a user can name ([`super::paths`]), and the order a
//! scenario is written in ([`super::write`]).

use std::fmt;

use toml::{Table, Value};

use super::raw::Family;
use super::spans::FieldPath;
use super::{InputKind, ScenarioErrorKind, validate::Problem};

/// The parameters of one family, in its parameter forms.
pub struct FamilySpec {
    /// The family these forms belong to.
    pub family: Family,
    /// Its parameter forms: exactly one is given (e.g. mean, sd or p5, p95).
    pub forms: &'static [&'static [&'static str]],
    /// Parameters it may take besides (a normal's truncation bounds).
    pub optional: &'static [&'static str],
}

/// Every family and its parameters: the one table validation, paths and
/// messages read.
pub const FAMILIES: [FamilySpec; 8] = [
    FamilySpec {
        family: Family::Fixed,
        forms: &[&["value"]],
        optional: &[],
    },
    FamilySpec {
        family: Family::Uniform,
        forms: &[&["min", "max"]],
        optional: &[],
    },
    FamilySpec {
        family: Family::Triangular,
        forms: &[&["min", "mode", "max"]],
        optional: &[],
    },
    FamilySpec {
        family: Family::Pert,
        forms: &[&["min", "mode", "max"]],
        optional: &[],
    },
    FamilySpec {
        family: Family::Normal,
        forms: &[&["mean", "sd"], &["p5", "p95"]],
        optional: &["min", "max"],
    },
    FamilySpec {
        family: Family::Lognormal,
        forms: &[&["mean", "sd"], &["p5", "p95"]],
        optional: &[],
    },
    FamilySpec {
        family: Family::Beta,
        forms: &[&["mean", "sd"], &["alpha", "beta"]],
        optional: &[],
    },
    FamilySpec {
        family: Family::Metalog,
        forms: &[&["quantiles"]],
        optional: &["lower", "upper"],
    },
];

/// Every numeric distribution parameter any family takes, in file order
/// (a metalog's `quantiles`, a list of pairs, is [`QUANTILES`]).
pub const DIST_PARAMS: [&str; 12] = [
    "value", "min", "mode", "max", "mean", "sd", "p5", "p95", "alpha", "beta", "lower", "upper",
];

/// A metalog's list of [p, x] pairs.
pub const QUANTILES: &str = "quantiles";

/// Keys of an uncertain input's table besides its parameters.
pub const INPUT_OPTIONS: [&str; 4] = ["dist", "vary", "profile", "noise_cv"];

impl Family {
    /// The row of [`FAMILIES`] for this family.
    pub fn spec(self) -> &'static FamilySpec {
        FAMILIES
            .iter()
            .find(|f| f.family == self)
            .expect("every family has a row")
    }

    /// Whether `param` is one of this family's parameters.
    pub fn takes(self, param: &str) -> bool {
        let s = self.spec();
        s.forms.iter().any(|f| f.contains(&param)) || s.optional.contains(&param)
    }

    /// Its parameters for a message: "mean, sd or p5, p95; optional min, max".
    pub fn described(self) -> String {
        let s = self.spec();
        let forms: Vec<String> = s.forms.iter().map(|f| f.join(", ")).collect();
        let mut out = forms.join(" or ");
        if !s.optional.is_empty() {
            out.push_str("; optional ");
            out.push_str(&s.optional.join(", "));
        }
        out
    }
}

/// What a field takes, as a message says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// Any number.
    Number,
    /// A whole number.
    WholeNumber,
    /// A quoted string.
    Text,
    /// A number, or one number per month.
    Schedule,
    /// A number, or a distribution table.
    Input,
    /// A list of numbers.
    Numbers,
    /// A table of fields.
    Table,
    /// A list of tables (`[[name]]` or `[{...}, ...]`).
    Tables,
    /// A table of paths and values.
    Overrides,
    /// One of a few words.
    Word,
    /// A list of two quoted paths.
    Pair,
    /// A list of [p, x] pairs.
    Pairs,
    /// One [p, x] pair.
    OnePair,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Expected::Number => "a number (written without units, e.g. 450_000_000)",
            Expected::WholeNumber => "a whole number",
            Expected::Text => "a quoted string",
            Expected::Schedule => "a number, or a list of one number per month",
            Expected::Input => {
                "a number, or a table such as { dist = \"beta\", mean = 0.5, sd = 0.05 }"
            }
            Expected::Numbers => "a list of numbers",
            Expected::Table => "a table",
            Expected::Tables => "a list of tables",
            Expected::Overrides => {
                "a table of paths and values, e.g. { \"targets.revenue\" = 4e8 }"
            }
            Expected::Word => "one of the words listed",
            Expected::Pair => "a list of two quoted paths",
            Expected::Pairs => "a list of [p, x] pairs, e.g. [[0.1, 650], [0.5, 800], [0.9, 1000]]",
            Expected::OnePair => "a pair [p, x] of two numbers, e.g. [0.5, 800]",
        })
    }
}

/// The shape of one field.
pub(crate) enum Shape {
    /// Any number.
    Number,
    /// A segment's share of new payers: a number whose change rescales the
    /// other segments' shares.
    Share,
    /// A whole number.
    Whole,
    /// A quoted string.
    Text,
    /// A number, or one number per month.
    Schedule,
    /// An uncertain input, of this meaning.
    Input(InputKind),
    /// One of these words.
    Word(&'static [&'static str]),
    /// A list of numbers.
    Numbers,
    /// A table of these fields.
    Table(&'static [Field]),
    /// A list of tables of these fields.
    Tables(&'static [Field]),
    /// `set`: paths to values of their own kinds, checked when applied.
    Overrides,
    /// `scale`: paths to numbers.
    Factors,
    /// Two paths.
    Pair,
    /// [p, x] pairs.
    Pairs,
}

/// One field of a table: its key, its shape, whether it must be given.
pub(crate) struct Field {
    pub(crate) key: &'static str,
    pub(crate) shape: Shape,
    pub(crate) required: bool,
}

const fn req(key: &'static str, shape: Shape) -> Field {
    Field {
        key,
        shape,
        required: true,
    }
}

const fn opt(key: &'static str, shape: Shape) -> Field {
    Field {
        key,
        shape,
        required: false,
    }
}

/// Family names as written.
pub const FAMILY_NAMES: [&str; 8] = [
    "fixed",
    "uniform",
    "triangular",
    "pert",
    "normal",
    "lognormal",
    "beta",
    "metalog",
];

/// An uncertain input's table, its keys in the order the format lists
/// them.
pub(crate) const DIST_TABLE: &[Field] = &[
    req("dist", Shape::Word(&FAMILY_NAMES)),
    opt("value", Shape::Number),
    opt("min", Shape::Number),
    opt("mode", Shape::Number),
    opt("max", Shape::Number),
    opt("mean", Shape::Number),
    opt("sd", Shape::Number),
    opt("p5", Shape::Number),
    opt("p95", Shape::Number),
    opt("alpha", Shape::Number),
    opt("beta", Shape::Number),
    opt("quantiles", Shape::Pairs),
    opt("lower", Shape::Number),
    opt("upper", Shape::Number),
    opt("vary", Shape::Word(&["trial", "month"])),
    opt("profile", Shape::Numbers),
    opt("noise_cv", Shape::Number),
];

const SHOCK: &[Field] = &[
    req("month", Shape::Whole),
    req("segment", Shape::Text),
    req("loss", Shape::Number),
];

/// The scenario file, its fields in the order the format lists them.
pub(crate) const ROOT: &[Field] = &[
    req("name", Shape::Text),
    req("months", Shape::Whole),
    opt("start", Shape::Text),
    req(
        "targets",
        Shape::Table(&[req("revenue", Shape::Number), req("profit", Shape::Number)]),
    ),
    req(
        "costs",
        Shape::Table(&[
            req("creator_share", Shape::Number),
            req("operations_rate", Shape::Number),
            req("staff", Shape::Schedule),
            req("infra", Shape::Schedule),
            opt("per_payer", Shape::Schedule),
        ]),
    ),
    req("marketing", Shape::Table(&[req("budget", Shape::Schedule)])),
    req(
        "acquisition",
        Shape::Table(&[
            req(
                "cost_per_registration",
                Shape::Input(InputKind::CostPerRegistration),
            ),
            req("first_charge_rate", Shape::Input(InputKind::Rate)),
            opt("spend_elasticity", Shape::Input(InputKind::Elasticity)),
            opt("reference_budget", Shape::Number),
        ]),
    ),
    req(
        "segments",
        Shape::Tables(&[
            req("name", Shape::Text),
            req("start_payers", Shape::Number),
            req("share_of_new", Shape::Share),
            req("retention", Shape::Input(InputKind::Rate)),
            req("arpu", Shape::Input(InputKind::Arpu)),
        ]),
    ),
    opt("shocks", Shape::Tables(SHOCK)),
    opt(
        "stress",
        Shape::Tables(&[
            req("name", Shape::Text),
            opt("set", Shape::Overrides),
            opt("scale", Shape::Factors),
            opt("from", Shape::Whole),
            opt("shocks", Shape::Tables(SHOCK)),
        ]),
    ),
    opt(
        "correlations",
        Shape::Tables(&[req("between", Shape::Pair), req("rank", Shape::Number)]),
    ),
];

/// How a value is named in a message.
fn found(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Integer(_) => "a whole number",
        Value::Float(_) => "a decimal number",
        Value::Boolean(_) => "true/false",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
    }
}

fn shown(v: &Value) -> Option<String> {
    match v {
        Value::Table(_) => None,
        Value::Array(a) if a.len() > 4 => Some(format!("[{} items]", a.len())),
        v => Some(v.to_string()),
    }
}

/// Whether a TOML value is a number (whole or decimal).
pub(crate) fn is_number(v: &Value) -> bool {
    matches!(v, Value::Integer(_) | Value::Float(_))
}

/// The fields of the table at `keys` (the root for none; `segments`,
/// `stress` and the other lists name the table of each item), in the order
/// the format lists them.
pub(crate) fn fields(keys: &[&str]) -> Option<&'static [Field]> {
    let mut fields = ROOT;
    for k in keys {
        fields = match &fields.iter().find(|f| f.key == *k)?.shape {
            Shape::Table(f) | Shape::Tables(f) => f,
            Shape::Input(_) => DIST_TABLE,
            _ => return None,
        };
    }
    Some(fields)
}

struct Walker {
    problems: Vec<Problem>,
}

impl Walker {
    fn fail(&mut self, path: FieldPath, value: Option<String>, kind: ScenarioErrorKind) {
        self.problems.push(Problem { path, value, kind });
    }

    fn wrong(&mut self, path: FieldPath, v: &Value, expected: Expected) {
        self.fail(
            path,
            shown(v),
            ScenarioErrorKind::WrongType {
                expected,
                found: found(v),
            },
        );
    }

    fn table(&mut self, path: &FieldPath, t: &Table, fields: &'static [Field]) {
        for (k, v) in t {
            match fields.iter().find(|f| f.key == k) {
                Some(f) => self.value(&path.key(k), v, &f.shape),
                None => self.fail(
                    path.key(k),
                    shown(v),
                    ScenarioErrorKind::UnknownField {
                        allowed: fields.iter().map(|f| f.key).collect(),
                        suggestion: fields
                            .iter()
                            .map(|f| (strsim::damerau_levenshtein(k, f.key), f.key))
                            .filter(|(d, key)| *d <= 2 && *d < key.len())
                            .min()
                            .map(|(_, key)| key),
                    },
                ),
            }
        }
        for f in fields.iter().filter(|f| f.required) {
            if !t.contains_key(f.key) {
                let expected = match f.shape {
                    Shape::Number | Shape::Share => Expected::Number,
                    Shape::Whole => Expected::WholeNumber,
                    Shape::Text => Expected::Text,
                    Shape::Schedule => Expected::Schedule,
                    Shape::Input(_) => Expected::Input,
                    Shape::Word(_) => Expected::Word,
                    Shape::Numbers => Expected::Numbers,
                    Shape::Table(_) => Expected::Table,
                    Shape::Tables(_) => Expected::Tables,
                    Shape::Overrides | Shape::Factors => Expected::Overrides,
                    Shape::Pair => Expected::Pair,
                    Shape::Pairs => Expected::Pairs,
                };
                // A missing word names its words (`dist = "beta"`).
                let kind = match f.shape {
                    Shape::Word(words) => ScenarioErrorKind::UnknownWord(words.to_vec()),
                    _ => ScenarioErrorKind::Missing(expected),
                };
                self.fail(path.key(f.key), None, kind);
            }
        }
    }

    fn value(&mut self, path: &FieldPath, v: &Value, shape: &Shape) {
        match shape {
            Shape::Number | Shape::Share if !is_number(v) => {
                self.wrong(path.clone(), v, Expected::Number)
            }
            Shape::Whole if !matches!(v, Value::Integer(_)) => {
                self.wrong(path.clone(), v, Expected::WholeNumber)
            }
            Shape::Text if !v.is_str() => self.wrong(path.clone(), v, Expected::Text),
            Shape::Word(words) => match v.as_str() {
                Some(w) if words.contains(&w) => {}
                Some(_) => self.fail(
                    path.clone(),
                    shown(v),
                    ScenarioErrorKind::UnknownWord(words.to_vec()),
                ),
                None => self.wrong(path.clone(), v, Expected::Text),
            },
            Shape::Schedule => match v {
                v if is_number(v) => {}
                Value::Array(a) => self.numbers(path, a),
                v => self.wrong(path.clone(), v, Expected::Schedule),
            },
            Shape::Numbers => match v {
                Value::Array(a) => self.numbers(path, a),
                v => self.wrong(path.clone(), v, Expected::Numbers),
            },
            Shape::Input(_) => match v {
                v if is_number(v) => {}
                Value::Table(t) => self.table(path, t, DIST_TABLE),
                v => self.wrong(path.clone(), v, Expected::Input),
            },
            Shape::Table(fields) => match v {
                Value::Table(t) => self.table(path, t, fields),
                v => self.wrong(path.clone(), v, Expected::Table),
            },
            Shape::Tables(fields) => match v {
                Value::Array(a) => {
                    for (i, item) in a.iter().enumerate() {
                        match item {
                            Value::Table(t) => self.table(&path.index(i), t, fields),
                            v => self.wrong(path.index(i), v, Expected::Table),
                        }
                    }
                }
                v => self.wrong(path.clone(), v, Expected::Tables),
            },
            Shape::Overrides if !v.is_table() => self.wrong(path.clone(), v, Expected::Overrides),
            Shape::Factors => match v {
                Value::Table(t) => {
                    for (k, f) in t {
                        if !is_number(f) {
                            self.wrong(path.key(k), f, Expected::Number);
                        }
                    }
                }
                v => self.wrong(path.clone(), v, Expected::Overrides),
            },
            Shape::Pair => match v.as_array() {
                Some(a) if a.len() == 2 && a.iter().all(Value::is_str) => {}
                _ => self.wrong(path.clone(), v, Expected::Pair),
            },
            Shape::Pairs => match v.as_array() {
                Some(a) => {
                    for (i, pair) in a.iter().enumerate() {
                        match pair.as_array() {
                            Some(p) if p.len() == 2 && p.iter().all(is_number) => {}
                            _ => self.wrong(path.index(i), pair, Expected::OnePair),
                        }
                    }
                }
                None => self.wrong(path.clone(), v, Expected::Pairs),
            },
            _ => {}
        }
    }

    fn numbers(&mut self, path: &FieldPath, a: &[Value]) {
        for (i, x) in a.iter().enumerate() {
            if !is_number(x) {
                self.wrong(path.index(i), x, Expected::Number);
            }
        }
    }
}

/// Every structural problem of a parsed file: unknown fields, missing
/// fields, values of the wrong type, words outside their set.
pub fn check(table: &Table) -> Vec<Problem> {
    let mut w = Walker {
        problems: Vec::new(),
    };
    w.table(&FieldPath::default(), table, ROOT);
    w.problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        let t: Table = toml::from_str(text).unwrap();
        check(&t)
            .into_iter()
            .map(|p| format!("{}: {}", p.path, p.kind))
            .collect()
    }

    #[test]
    fn reports_every_structural_problem_at_once() {
        let got = problems(
            r#"
            name = "x"
            months = "twelve"
            bonus = 1
            [targets]
            revenue = "450M"
            [[shocks]]
            month = 1.5
            segment = "a"
            loss = 0.1
            "#,
        );
        let want = [
            "bonus: unknown field: the fields here are",
            "months: must be a whole number, not a string",
            "targets.revenue: must be a number (written without units, e.g. 450_000_000), not a string",
            "targets.profit: is missing",
            "costs: is missing",
            "shocks[0].month: must be a whole number, not a decimal number",
        ];
        for w in want {
            assert!(got.iter().any(|g| g.starts_with(w)), "no {w:?} in {got:#?}");
        }
    }

    #[test]
    fn families_describe_their_parameters() {
        assert_eq!(
            Family::Normal.described(),
            "mean, sd or p5, p95; optional min, max"
        );
        assert!(Family::Beta.takes("alpha"));
        assert!(!Family::Lognormal.takes("min"));
        for p in DIST_PARAMS {
            assert!(FAMILIES.iter().any(|f| f.family.takes(p)), "{p}");
        }
    }
}
