//! A scenario table written back as TOML in the order the format describes
//! it ([`super::schema`]): the name, horizon and start, then `[targets]`,
//! `[costs]`, `[marketing]`, `[acquisition]`, each `[[segments]]`,
//! `[[shocks]]`, `[[stress]]` and `[[correlations]]`, with every uncertain
//! input on one line as an inline table. `toml`'s own serialiser sorts keys
//! alphabetically and splits inputs into sub-tables, which reads poorly.

use std::fmt::Write;

use toml::{Table, Value};

/// The entries of the table at `keys` in the order the format lists its
/// fields ([`super::schema`]); keys it does not list follow alphabetically.
fn ordered<'t>(t: &'t Table, keys: &[&str]) -> Vec<(&'t String, &'t Value)> {
    let fields = super::schema::fields(keys).unwrap_or_default();
    let rank = |k: &str| {
        fields
            .iter()
            .position(|f| f.key == k)
            .unwrap_or(fields.len())
    };
    let mut v: Vec<_> = t.iter().collect();
    v.sort_by(|a, b| (rank(a.0), a.0).cmp(&(rank(b.0), b.0)));
    v
}

/// A key, quoted when it is not bare (`"segments.big_r.retention"`).
fn key(k: &str) -> String {
    let bare = !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        k.to_string()
    } else {
        Value::String(k.to_string()).to_string()
    }
}

fn is_table_array(v: &Value) -> bool {
    matches!(v, Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_table))
}

fn lines(out: &mut String, t: &Table, keys: &[&str]) {
    for (k, v) in ordered(t, keys) {
        let _ = writeln!(out, "{} = {v}", key(k));
    }
}

/// `table` as TOML text in the format's order.
pub fn to_toml(table: &Table) -> String {
    let mut out = String::new();
    let fields = ordered(table, &[]);
    for (k, v) in &fields {
        if !v.is_table() && !is_table_array(v) {
            let _ = writeln!(out, "{} = {v}", key(k));
        }
    }
    for (k, v) in &fields {
        if let Value::Table(t) = v {
            let _ = writeln!(out, "\n[{}]", key(k));
            lines(&mut out, t, &[k.as_str()]);
        }
    }
    for (k, v) in &fields {
        if let Value::Array(items) = v
            && is_table_array(v)
        {
            for item in items {
                let _ = writeln!(out, "\n[[{}]]", key(k));
                if let Value::Table(t) = item {
                    lines(&mut out, t, &[k.as_str()]);
                }
            }
        }
    }
    out
}
