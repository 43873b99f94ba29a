//! What can be wrong with a history or actuals file, as data: the file, the
//! row (1 = the first data row) and the column where there is one, the
//! value, and the rule broken.

use std::fmt;

/// One problem with a history or actuals CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryError {
    /// The file as named on the command line.
    pub file: String,
    /// 1-based data row (the header is row 0), when the problem has one.
    pub row: Option<usize>,
    /// The column, when the problem has one.
    pub column: Option<String>,
    /// The offending value as written or computed.
    pub value: Option<String>,
    /// The rule broken.
    pub kind: HistoryErrorKind,
}

/// The rule a history file breaks.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HistoryErrorKind {
    /// The file cannot be read.
    #[error("cannot read it: {0}")]
    Unreadable(String),
    /// Larger than kpisim reads.
    #[error("the file is larger than {limit} bytes; a history has one row a month")]
    TooLarge {
        /// The cap in bytes.
        limit: u64,
    },
    /// Not CSV polars can parse.
    #[error("not a CSV file kpisim can read: {0}")]
    Csv(String),
    /// A column the format requires is absent.
    #[error("the header has no such column{}", why.as_ref().map(|w| format!(" ({w})")).unwrap_or_default())]
    MissingColumn {
        /// The column's name, e.g. `payers_big_r`.
        column: String,
        /// Why it is needed, when it is not one of the base columns.
        why: Option<String>,
    },
    /// Too few data rows.
    #[error("{rows} data row(s): a history needs at least {min} months, one row each")]
    TooFewRows {
        /// Data rows found, the header not counted.
        rows: usize,
        /// Rows needed: [`MIN_ROWS`](super::MIN_ROWS).
        min: usize,
    },
    /// More rows than the scenario has months.
    #[error("the scenario has only {months} months")]
    TooManyRows {
        /// The scenario's horizon in months: the most rows actuals may have.
        months: usize,
    },
    /// A column named twice or more in the header.
    #[error("the header names this column {times} times; name each column once")]
    RepeatedColumn {
        /// How many times the header names it.
        times: usize,
    },
    /// A row with more or fewer cells than the header.
    #[error("{found} cells, and the header has {header}")]
    Cells {
        /// Cells in the row.
        found: usize,
        /// Cells in the header.
        header: usize,
    },
    /// An empty cell.
    #[error("the cell is empty; every cell is a number")]
    Empty,
    /// A cell that is not a plain finite number.
    #[error("not a number; cells are plain numbers such as 1250000 or 0.52")]
    NotANumber,
    /// A negative count or amount.
    #[error("must be 0 or more")]
    Negative,
    /// A month label that is not `YYYY-MM`.
    #[error("a month is written YYYY-MM, e.g. 2015-01")]
    MonthFormat,
    /// A month missing between two rows.
    #[error("a gap: {expected} is missing (one row a month, oldest first, no gaps)")]
    Gap {
        /// The month that should come here, `YYYY-MM`.
        expected: String,
    },
    /// A month that is not after the previous row's.
    #[error("repeats or goes back from {previous} (one row a month, oldest first, no gaps)")]
    Repeat {
        /// The previous row's month, `YYYY-MM`.
        previous: String,
    },
    /// A month label that differs from the scenario's.
    #[error("the scenario's month {month} is {expected}")]
    NotTheScenarioMonth {
        /// 1-based month of the scenario.
        month: usize,
        /// Its label, `YYYY-MM`, from the scenario's `start`.
        expected: String,
    },
    /// A ratio out of its range.
    #[error("{ratio} = {formula} = {shown}: {rule}")]
    Ratio {
        /// The input the ratio estimates.
        ratio: &'static str,
        /// How it is computed, with the numbers.
        formula: String,
        /// Its value, as text for people.
        shown: String,
        /// The range it must lie in.
        rule: &'static str,
    },
    /// A zero that a ratio divides by.
    #[error("is 0, and {ratio} divides by it: it must be above 0")]
    ZeroDivisor {
        /// The ratio that divides by it, e.g. "cost per registration".
        ratio: &'static str,
    },
    /// Too few months with marketing spend to estimate what spend buys.
    #[error(
        "only {months} month(s) have marketing_spend above 0: the cost per registration and the first-charge rate need at least {min}"
    )]
    TooFewSpendMonths {
        /// Months with spend above 0.
        months: usize,
        /// Months needed.
        min: usize,
    },
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.file)?;
        match (self.row, &self.column) {
            (Some(r), Some(c)) => write!(f, "row {r}, column {c}: ")?,
            (Some(r), None) => write!(f, "row {r}: ")?,
            (None, Some(c)) => write!(f, "header, column {c}: ")?,
            (None, None) => {}
        }
        if let Some(v) = &self.value {
            write!(f, "{v:?}: ")?;
        }
        write!(f, "{}", self.kind)
    }
}

/// Every problem found in a history file, reported together.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryErrors(pub Vec<HistoryError>);

impl fmt::Display for HistoryErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for HistoryErrors {}
