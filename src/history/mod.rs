//! Last year's months and this year's actuals (docs/history.md): a CSV of
//! one row a month, read with polars and checked cell by cell
//! ([`read`]), the monthly ratios that estimate each uncertain input
//! ([`ratios`]), their estimate for `fit` ([`estimate`]) and the update of a
//! plan's inputs by in-year actuals for `track` ([`update`]).
//!
//! This layer sits above [`crate::scenario`] (a history is read against a
//! plan's segments and months) and below the model: it turns files into
//! numbers and distributions, and never simulates.

mod error;
pub mod estimate;
pub mod fitted;
pub mod ratios;
mod read;
pub mod update;

pub use error::{HistoryError, HistoryErrorKind, HistoryErrors};
pub use read::{BASE_COLUMNS, MAX_FILE_BYTES, MIN_ROWS, Segments, read, read_bytes};

use crate::scenario::YearMonth;

/// A history or actuals file, checked: one value a month for each column.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// The file as named on the command line.
    pub file: String,
    /// Each row's month, oldest first, consecutive.
    pub months: Vec<YearMonth>,
    /// `marketing_spend`, CNY.
    pub spend: Vec<f64>,
    /// `registrations`: new registrations each month.
    pub registrations: Vec<f64>,
    /// `new_payers`: registrations paying for the first time each month.
    pub new_payers: Vec<f64>,
    /// `payers`: all paying users each month, every segment.
    pub payers: Vec<f64>,
    /// `revenue`, CNY.
    pub revenue: Vec<f64>,
    /// One per segment of the plan, in the plan's order.
    pub segments: Vec<SegmentHistory>,
    /// Whether the plan has several segments and the file gives totals
    /// only: `segments` is then empty.
    pub totals_only: bool,
}

/// One segment's months: its own columns, or the totals when the plan has
/// one segment and the file no segment columns.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentHistory {
    /// The segment's name.
    pub name: String,
    /// The columns its figures came from: `_NAME` columns, or the totals.
    pub columns: SegmentColumns,
    /// Its paying users, one value a month (row).
    pub payers: Vec<f64>,
    /// Its first-time payers, one value a month.
    pub new_payers: Vec<f64>,
    /// Its revenue, CNY, one value a month.
    pub revenue: Vec<f64>,
}

/// The names of the columns a segment's figures come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentColumns {
    /// Of its payers: `payers_NAME`, or `payers`.
    pub payers: String,
    /// Of its new payers: `new_payers_NAME`, or `new_payers`.
    pub new_payers: String,
    /// Of its revenue: `revenue_NAME`, or `revenue`.
    pub revenue: String,
}

impl History {
    /// Number of months (rows).
    pub fn len(&self) -> usize {
        self.months.len()
    }

    /// Whether it has no rows (never, once read).
    pub fn is_empty(&self) -> bool {
        self.months.is_empty()
    }

    /// The `YYYY-MM` label of row `i` (0-based).
    pub fn label(&self, i: usize) -> String {
        self.months[i].label(1)
    }

    /// The first `n` months.
    pub fn head(&self, n: usize) -> History {
        self.slice(0, n)
    }

    /// Months `from..to` (0-based rows).
    pub fn slice(&self, from: usize, to: usize) -> History {
        let cut = |v: &Vec<f64>| v[from..to].to_vec();
        History {
            file: self.file.clone(),
            months: self.months[from..to].to_vec(),
            spend: cut(&self.spend),
            registrations: cut(&self.registrations),
            new_payers: cut(&self.new_payers),
            payers: cut(&self.payers),
            revenue: cut(&self.revenue),
            segments: self
                .segments
                .iter()
                .map(|s| SegmentHistory {
                    name: s.name.clone(),
                    columns: s.columns.clone(),
                    payers: cut(&s.payers),
                    new_payers: cut(&s.new_payers),
                    revenue: cut(&s.revenue),
                })
                .collect(),
            totals_only: self.totals_only,
        }
    }
}
