//! Pieces of the tables for people that several reports share: a header
//! row, a month's name, how a run's trials were drawn.

use std::fmt::Write;

use crate::aggregate::Header;
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

/// `s` with its first letter in capitals: `Reached by month`.
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A rate as a percentage with two decimals (a first-charge rate of 2.03%),
/// an amount as 6.03 or 812.
pub fn level(kind: InputKind, v: f64) -> String {
    match kind {
        InputKind::Rate => format!("{:.2}%", 100.0 * v),
        InputKind::Arpu => crate::present::arpu(v),
        InputKind::CostPerRegistration if v.abs() < 100.0 => format!("{v:.3}"),
        InputKind::CostPerRegistration => crate::present::human(v),
        InputKind::Elasticity => format!("{v:.3}"),
    }
}
