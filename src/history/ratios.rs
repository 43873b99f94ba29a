//! The monthly ratios that estimate each uncertain input, by the model's
//! own recursion read backwards:
//!
//! - cost per registration = marketing_spend / registrations
//! - first-charge rate = new_payers / registrations
//! - a segment's retention = (payers - new_payers) / last month's payers
//! - a segment's ARPU = revenue / payers
//!
//! Each ratio is checked against its range where it is computed, so that a
//! refusal names the row and the column whose number is off. A month with
//! no marketing spend gives no cost per registration and no first-charge
//! rate (its registrations, if any, were not bought): it is left out of
//! both and named ([`Ratios::no_spend`]).

use super::History;
use super::error::{HistoryError, HistoryErrorKind, HistoryErrors};
use crate::present::num;

/// One month's ratio.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ratio {
    /// The row (0-based) it comes from.
    pub row: usize,
    /// Its value, in the input's unit (CNY, or a fraction 0..1 for a rate).
    pub value: f64,
}

/// One segment's ratios.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentRatios {
    /// Retention, from the second row on (or from the first, given the
    /// payers before it).
    pub retention: Vec<Ratio>,
    /// ARPU, every row.
    pub arpu: Vec<Ratio>,
}

/// Every input's monthly ratios.
#[derive(Debug, Clone, PartialEq)]
pub struct Ratios {
    /// Cost per registration, every row.
    pub cost_per_registration: Vec<Ratio>,
    /// First-charge rate, every row.
    pub first_charge_rate: Vec<Ratio>,
    /// One per segment, in the plan's order.
    pub segments: Vec<SegmentRatios>,
    /// The rows (0-based) without marketing spend, left out of the cost
    /// per registration and the first-charge rate.
    pub no_spend: Vec<usize>,
}

impl Ratios {
    /// The ratios of each uncertain input, in the order of
    /// [`crate::scenario::Scenario::inputs`].
    pub fn by_input(&self) -> Vec<&[Ratio]> {
        let mut v: Vec<&[Ratio]> = vec![&self.cost_per_registration, &self.first_charge_rate];
        for s in &self.segments {
            v.push(&s.retention);
            v.push(&s.arpu);
        }
        v
    }
}

/// The problems found while computing the ratios.
struct Check<'a> {
    file: &'a str,
    problems: Vec<HistoryError>,
}

impl Check<'_> {
    fn push(&mut self, row: usize, column: &str, kind: HistoryErrorKind) {
        self.problems.push(HistoryError {
            file: self.file.to_string(),
            row: Some(row + 1),
            column: Some(column.to_string()),
            value: None,
            kind,
        });
    }

    fn zero(&mut self, row: usize, column: &str, ratio: &'static str) {
        self.push(row, column, HistoryErrorKind::ZeroDivisor { ratio });
    }

    #[allow(clippy::too_many_arguments)]
    fn range(
        &mut self,
        row: usize,
        column: &str,
        ratio: &'static str,
        formula: String,
        value: f64,
        ok: bool,
        rule: &'static str,
    ) {
        if !ok {
            self.push(
                row,
                column,
                HistoryErrorKind::Ratio {
                    ratio,
                    formula,
                    shown: num(value),
                    rule,
                },
            );
        }
    }
}

const RATE: &str = "a rate must be within 0..1";

/// The ratios of `h`. `before` holds each segment's payers in the month
/// before the first row, when known (the plan's `start_payers` for
/// actuals): retention then starts at the first row.
pub fn ratios(h: &History, before: Option<&[f64]>) -> Result<Ratios, HistoryErrors> {
    let mut c = Check {
        file: &h.file,
        problems: Vec::new(),
    };
    let mut cpr = Vec::with_capacity(h.len());
    let mut fcr = Vec::with_capacity(h.len());
    let mut no_spend = Vec::new();
    for t in 0..h.len() {
        let (spend, reg, new) = (h.spend[t], h.registrations[t], h.new_payers[t]);
        if spend <= 0.0 {
            no_spend.push(t);
            continue;
        }
        if reg <= 0.0 {
            c.zero(t, "registrations", "cost per registration");
            continue;
        }
        let v = spend / reg;
        c.range(
            t,
            "marketing_spend",
            "cost per registration",
            format!(
                "marketing_spend / registrations = {} / {}",
                num(spend),
                num(reg)
            ),
            v,
            v > 0.0,
            "a cost per registration must be above 0",
        );
        cpr.push(Ratio { row: t, value: v });
        let f = new / reg;
        c.range(
            t,
            "new_payers",
            "first-charge rate",
            format!("new_payers / registrations = {} / {}", num(new), num(reg)),
            f,
            (0.0..=1.0).contains(&f),
            RATE,
        );
        fcr.push(Ratio { row: t, value: f });
    }
    let mut segments = Vec::with_capacity(h.segments.len());
    for (s, seg) in h.segments.iter().enumerate() {
        let cols = &seg.columns;
        let mut retention = Vec::with_capacity(h.len());
        let mut arpu = Vec::with_capacity(h.len());
        for t in 0..h.len() {
            let payers = seg.payers[t];
            if payers <= 0.0 {
                c.zero(t, &cols.payers, "ARPU = revenue / payers");
            } else {
                arpu.push(Ratio {
                    row: t,
                    value: seg.revenue[t] / payers,
                });
            }
            let previous = match (t, before) {
                (0, Some(b)) => b[s],
                (0, None) => continue,
                _ => seg.payers[t - 1],
            };
            if previous <= 0.0 {
                continue;
            }
            let old = payers - seg.new_payers[t];
            let r = old / previous;
            c.range(
                t,
                &cols.payers,
                "retention",
                format!(
                    "({} - {}) / last month's payers = ({} - {}) / {}",
                    cols.payers,
                    cols.new_payers,
                    num(payers),
                    num(seg.new_payers[t]),
                    num(previous)
                ),
                r,
                (0.0..=1.0).contains(&r),
                RATE,
            );
            retention.push(Ratio { row: t, value: r });
        }
        segments.push(SegmentRatios { retention, arpu });
    }
    if c.problems.is_empty() {
        Ok(Ratios {
            cost_per_registration: cpr,
            first_charge_rate: fcr,
            segments,
            no_spend,
        })
    } else {
        Err(HistoryErrors(c.problems))
    }
}
