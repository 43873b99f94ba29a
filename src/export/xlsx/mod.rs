//! Excel workbooks, written with rust_xlsxwriter: the board pack. A
//! report's JSON is laid out as sheets ([`sheets`]): a summary with the
//! manifest and the probabilities, then one sheet a table (months, bands,
//! cases, steps, inputs) with one row an element; numbers are number cells,
//! formatted for what they are ([`Style`]); and the report's native chart
//! ([`ChartSpec`]) on the summary sheet. Generic over the value: a report
//! only names its chart, or composes sheets itself (a batch of runs).

mod book;
mod sheets;

use rust_xlsxwriter::{Chart, ChartLegendPosition, ChartLine, ChartLineDashType};
use serde_json::Value;

use super::{AsOf, Result};
pub use book::Book;
use book::{Added, Placed};
pub use rust_xlsxwriter::ChartType;
pub use sheets::{Cell, Content, Sheet, Style, Table, rows, sheets};

/// The chart of a workbook: the columns of one sheet drawn against another
/// column of it.
#[derive(Clone)]
pub struct ChartSpec {
    /// The sheet (as [`sheets()`] names it).
    pub sheet: &'static str,
    /// The categories: the first of these columns that exists.
    pub categories: &'static [&'static str],
    /// The series: those of these columns that exist.
    pub series: &'static [&'static str],
    /// Line, bar or scatter.
    pub kind: ChartType,
    /// Its title, shown above it.
    pub title: String,
    /// Name of the categories' axis ("month"; the vertical one of a bar
    /// chart, which lies on its side).
    pub x_title: &'static str,
    /// Name of the values' axis ("revenue", "probability").
    pub y_title: &'static str,
    /// Number format of the value axis.
    pub y_format: &'static str,
}

/// Writes `sheets` with `prefix` before their names and the chart `spec`
/// below the summary.
pub fn write(
    book: &mut Book,
    sheets: &[Sheet],
    prefix: &str,
    spec: Option<&ChartSpec>,
) -> Result<()> {
    let mut summary = None;
    let mut placed: Vec<(&str, Placed)> = Vec::new();
    for sheet in sheets {
        match book.add(sheet, prefix)? {
            (name, Added::Summary { below, .. }) => summary = Some((name, below)),
            (_, Added::Table(p)) => placed.push((sheet.name.as_str(), p)),
            (_, Added::Stack) => {}
        }
    }
    let Some(spec) = spec else {
        return Ok(());
    };
    let (Some((summary, row)), Some((_, data))) =
        (summary, placed.iter().find(|(n, _)| *n == spec.sheet))
    else {
        return Ok(());
    };
    let Some(categories) = spec.categories.iter().find_map(|c| data.range(c)) else {
        return Ok(());
    };
    let mut chart = Chart::new(spec.kind);
    for s in spec.series {
        if let Some(values) = data.range(s) {
            let series = chart
                .add_series()
                .set_categories(categories)
                .set_values(values)
                .set_name(*s);
            // The band's edges dashed, the plan dotted, the middle solid.
            let dash = if s.contains("plan") {
                Some(ChartLineDashType::RoundDot)
            } else if [" P5", " P95", " P10", " P90"]
                .iter()
                .any(|e| s.ends_with(e))
            {
                Some(ChartLineDashType::Dash)
            } else {
                None
            };
            if let (Some(d), ChartType::Line) = (dash, spec.kind) {
                series.set_format(ChartLine::new().set_dash_type(d).set_width(1.5));
            }
        }
    }
    chart.title().set_name(&spec.title);
    // A bar chart lies on its side: its x axis carries the values.
    if spec.kind == ChartType::Bar {
        // Top to bottom in the table's order.
        chart.y_axis().set_name(spec.x_title).set_reverse();
        chart
            .x_axis()
            .set_name(spec.y_title)
            .set_num_format(spec.y_format);
    } else {
        chart.x_axis().set_name(spec.x_title);
        chart
            .y_axis()
            .set_name(spec.y_title)
            .set_num_format(spec.y_format);
    }
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart.set_width(720).set_height(380);
    book.chart(&summary, row, &chart)
}

/// The workbook of a report's JSON `value`: its sheets (leaving out the
/// keys in `omit`) and its chart.
pub fn workbook(
    value: &Value,
    omit: &[&str],
    chart: Option<&ChartSpec>,
    as_of: AsOf,
) -> Result<Vec<u8>> {
    let sheets = sheets(value, omit);
    let mut book = Book::new(as_of)?;
    write(&mut book, &sheets, "", chart)?;
    book.finish()
}
