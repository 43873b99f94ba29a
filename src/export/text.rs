//! Pieces of the tables for people that several reports share: a header
//! row, a month's name, how a run's trials were drawn, an input's level.

use std::fmt::Write;

use crate::aggregate::Header;
use crate::export::xlsx::Style;
use crate::present::se_pp;
use crate::scenario::InputKind;

pub use crate::present::columns;

/// A header row.
pub fn header(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|h| h.to_string()).collect()
}

/// Month `month` (1-based) by its label, when the scenario has a start.
pub fn month_name(labels: Option<&Vec<String>>, month: usize) -> String {
    labels.map_or_else(|| month.to_string(), |l| l[month - 1].clone())
}

/// How a run's trials were drawn, and where `--precision` stopped, for the
/// first line of a report: `, Latin hypercube (10 replicates)`,
/// `; stopped when the standard error of P(both) reached ±0.10 pp`.
pub fn sampling_note(h: &Header) -> String {
    let mut note = String::new();
    if h.sampling == "lhs" {
        note.push_str(", Latin hypercube (10 replicates)");
    }
    if let Some(p) = h.precision {
        let _ = write!(
            note,
            "; {} the standard error of P({}) reached {} (asked {})",
            if p.reached {
                "stopped when"
            } else {
                "ran out of trials before"
            },
            p.target,
            se_pp(p.standard_error),
            se_pp(p.asked)
        );
    }
    note
}

/// A sentence `s` continued after a colon: its first letter in lower case
/// (`assumed: the actuals give totals only`), unless its first word is
/// in capitals throughout, as an abbreviation is (`ARPU`).
///
/// ```
/// use kpisim::export::text::continued;
/// assert_eq!(continued("The actuals give totals only."), "the actuals give totals only.");
/// assert_eq!(continued("ARPU stays at the plan."), "ARPU stays at the plan.");
/// ```
pub fn continued(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => first
            .to_lowercase()
            .chain(s[first.len_utf8()..].chars())
            .collect(),
        _ => s.to_string(),
    }
}

/// `s` with its first letter in capitals: `Reached by month`.
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// An input's level (a mean, a quantile, a standard deviation, a
/// threshold) as its kind is read: a rate as a percentage with two
/// decimals (a first-charge rate of 2.03%), an ARPU with its digits (812,
/// 1,014), a cost per registration as 6.030 or 812, an elasticity as
/// 0.300. Every report that shows a level (fit, track, sensitivity,
/// explain, the assumptions) shows it so.
pub fn level(kind: InputKind, v: f64) -> String {
    match kind {
        InputKind::Rate => format!("{:.2}%", 100.0 * v),
        InputKind::Arpu => crate::present::arpu(v),
        InputKind::CostPerRegistration if v.abs() < 100.0 => format!("{v:.3}"),
        InputKind::CostPerRegistration => crate::present::human(v),
        InputKind::Elasticity => format!("{v:.3}"),
    }
}

/// The number format of an input's level in a workbook: the digits
/// [`level`] shows, kept beside it so that the two cannot drift apart.
pub fn level_style(kind: InputKind) -> Style {
    match kind {
        InputKind::Rate => Style::PercentFine,
        InputKind::Arpu => Style::Arpu,
        InputKind::CostPerRegistration | InputKind::Elasticity => Style::Ratio,
    }
}
