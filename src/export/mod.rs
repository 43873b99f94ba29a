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
mod json;
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
    /// report's chart on its summary sheet.
    fn workbook(&self) -> Result<Vec<u8>> {
        xlsx::workbook(&self.json()?, &[], self.chart().as_ref())
    }

    /// The native chart of its workbook.
    fn chart(&self) -> Option<xlsx::ChartSpec> {
        None
    }

    /// The HTML page.
    fn html(&self) -> Result<String> {
        Ok(String::new())
    }
}

/// `report` rendered in `format`: the bytes of the output. A format the
/// report does not declare is refused.
pub fn render<R: Report>(report: &R, format: Format) -> Result<Vec<u8>> {
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
        Format::Xlsx => report.workbook()?,
        Format::Html => report.html()?.into_bytes(),
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
