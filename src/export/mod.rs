//! Renderers. Each report says how it is shown, in one file of
//! [`reports`]: its table for people, its CSV columns and rows, its
//! workbook's chart, its part of the HTML page. The formats are generic
//! over that: JSON is the report's serde value; a workbook lays out the
//! same value as sheets ([`xlsx`]); CSV writes the declared columns through
//! polars ([`csv`]); the HTML page ([`html`]) composes the reports' parts.
//! Which formats a report has is declared once, by the report
//! ([`Report::FORMATS`]); the command line offers those and no others.
//!
//! A new report is one new file that implements [`Report`], and its line in
//! `reports/mod.rs`. Writing what is rendered is [`crate::output`]'s.

pub mod csv;
mod error;
pub mod html;
pub mod json;
mod parquet;
pub mod reports;
pub mod text;
mod trials;
pub mod xlsx;

pub use csv::{Cell, CsvSpec};
pub use error::ExportError;
pub use trials::{TrialsFormat, write_trials};

use serde::Serialize;

/// What a renderer returns.
pub type Result<T> = std::result::Result<T, ExportError>;

/// A format a report can be shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A table for people (money as 460.8M).
    Table,
    /// JSON: the report's serde value, pretty-printed.
    Json,
    /// CSV: the report's declared columns, raw numbers.
    Csv,
    /// An Excel workbook: a sheet a table, number cells, a native chart.
    Xlsx,
    /// A self-contained HTML page.
    Html,
}

impl Format {
    /// What a person calls an output in it: `a workbook`.
    pub fn noun(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "JSON",
            Format::Csv => "CSV",
            Format::Xlsx => "workbook",
            Format::Html => "HTML page",
        }
    }

    /// The word the command line uses for it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Html => "html",
        }
    }
}

/// The date a report for people says it is as of: `--date`, else the
/// environment's `SOURCE_DATE_EPOCH`, else today. The same date gives the
/// same bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsOf {
    /// Year.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, 1 to 31.
    pub day: u32,
}

impl AsOf {
    /// The date `YYYY-MM-DD`, if it is one on the calendar.
    pub fn parse(s: &str) -> Option<AsOf> {
        let mut parts = s.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = AsOf {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        let days = match date.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if date.year % 4 == 0 && (date.year % 100 != 0 || date.year % 400 == 0) => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days).contains(&date.day).then_some(date)
    }

    /// The UTC date `secs` seconds after 1970-01-01 (Hinnant's
    /// days-to-civil).
    pub fn from_unix_seconds(secs: i64) -> AsOf {
        let z = secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        AsOf { year, month, day }
    }
}

impl std::fmt::Display for AsOf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Formats of a report that has a table, JSON, CSV and a workbook.
pub const ALL_TABULAR: &[Format] = &[Format::Table, Format::Json, Format::Csv, Format::Xlsx];

/// Formats of a report without a workbook.
pub const TEXT_ONLY: &[Format] = &[Format::Table, Format::Json, Format::Csv];

/// A report: a serde value (its JSON) that says how it is shown. Each
/// format's method is called only for a format in [`Report::FORMATS`];
/// [`render`] refuses the others.
pub trait Report: Serialize {
    /// The command it reports, as messages name it (`run --point`).
    const NAME: &'static str;
    /// The formats it can be shown in.
    const FORMATS: &'static [Format];
    /// Its CSV: what a row is, and its columns.
    const CSV: CsvSpec = CsvSpec::NONE;

    /// Whether it has an output that says the date it is as of (a
    /// workbook): what `--date` is offered for.
    fn dated() -> bool {
        Self::FORMATS.contains(&Format::Xlsx)
    }

    /// The table for people.
    fn table(&self) -> String {
        String::new()
    }

    /// The CSV rows, each with a cell a column of [`Report::CSV`].
    fn csv_rows(&self) -> Vec<Vec<Cell>> {
        Vec::new()
    }

    /// The JSON value; one scenario's report is one object.
    fn json(&self) -> Result<serde_json::Value> {
        json::value(self)
    }

    /// The workbook: by default the JSON laid out as sheets, with the
    /// report's chart on its summary sheet, as of `as_of`.
    fn workbook(&self, as_of: AsOf) -> Result<Vec<u8>> {
        xlsx::workbook(&self.json()?, &[], self.chart().as_ref(), as_of)
    }

    /// The native chart of its workbook.
    fn chart(&self) -> Option<xlsx::ChartSpec> {
        None
    }

    /// The HTML page, as of `as_of`.
    fn html(&self, _as_of: AsOf) -> Result<String> {
        Ok(String::new())
    }
}

/// `report` rendered in `format`: the bytes of the output. What is made
/// for people to keep (a workbook, a page) says it is `as_of` a date. A
/// format the report does not declare is refused.
pub fn render<R: Report>(report: &R, format: Format, as_of: AsOf) -> Result<Vec<u8>> {
    if !R::FORMATS.contains(&format) {
        return Err(ExportError::Render(format!(
            "{} has no {}; give --format {}",
            R::NAME,
            format.noun(),
            offered(R::FORMATS)
        )));
    }
    Ok(match format {
        // Names from the user's files reach a terminal here: escaped.
        Format::Table => crate::present::printable(&report.table())
            .into_owned()
            .into_bytes(),
        Format::Json => json::text(&report.json()?)?.into_bytes(),
        Format::Csv => csv::write(&R::CSV, &report.csv_rows())?.into_bytes(),
        Format::Xlsx => report.workbook(as_of)?,
        Format::Html => report.html(as_of)?.into_bytes(),
    })
}

/// The formats as a list a person reads: `table, json or csv`.
pub fn offered(formats: &[Format]) -> String {
    let names: Vec<&str> = formats.iter().map(|f| f.name()).collect();
    match names.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// What `--help` says of a report's CSV, from its declaration: `CSV
/// (--format csv): one row per case, ..., columns case,p_revenue,...`.
pub fn csv_help<R: Report>() -> String {
    let spec = &R::CSV;
    if !R::FORMATS.contains(&Format::Csv) {
        return String::new();
    }
    let mut out = format!(
        "CSV (--format csv): {}, columns {}.",
        spec.rows,
        spec.columns.join(",")
    );
    if !spec.notes.is_empty() {
        out.push(' ');
        out.push_str(spec.notes);
    }
    out
}
