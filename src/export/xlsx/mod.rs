//! Excel workbooks (`--format xlsx`), written with rust_xlsxwriter: the
//! board pack. Each report's JSON is laid out as sheets ([`sheets`]): a
//! summary with the manifest and the probabilities, then one sheet a table
//! (months, bands, cases, steps, inputs) with one row an element; numbers
//! are number cells, formatted for what they are ([`sheets::Style`]); and a
//! native chart on the summary sheet. A batch of scenarios gives one
//! workbook, a batch sheet first.

mod book;
mod sheets;

use rust_xlsxwriter::{Chart, ChartLegendPosition, ChartLine, ChartLineDashType, ChartType};
use serde::Serialize;
use serde_json::Value;

use super::{ExportError, Exporter, Result};
use crate::aggregate::{
    FitReport, KpiReport, PointReport, SensitivityReport, SolveReport, StressReport, Summary,
    SweepReport, TrackReport,
};
use book::{Book, Placed};
use sheets::{Cell, Content, Sheet, Style, rows};

/// The workbook exporter.
pub struct Xlsx;

/// The chart of a workbook: the columns of one sheet drawn against another
/// column of it.
struct ChartSpec {
    /// The sheet (as [`sheets::sheets`] names it).
    sheet: &'static str,
    /// The categories: the first of these columns that exists.
    categories: &'static [&'static str],
    /// The series: those of these columns that exist.
    series: &'static [&'static str],
    kind: ChartType,
    title: String,
    x_title: &'static str,
    y_title: &'static str,
    /// Number format of the value axis.
    y_format: &'static str,
}

fn value_of<T: Serialize>(report: &T) -> Result<Value> {
    serde_json::to_value(report)
        .map_err(|e| ExportError::Render(format!("cannot lay out the workbook: {e}")))
}

/// Writes `sheets` with `prefix` before their names and the chart `spec`
/// below the summary.
fn write(book: &mut Book, sheets: &[Sheet], prefix: &str, spec: &ChartSpec) -> Result<()> {
    let mut summary = None;
    let mut placed: Vec<(&str, Placed)> = Vec::new();
    for sheet in sheets {
        let (name, p) = book.add(sheet, prefix)?;
        if let Content::Summary { fields, .. } = &sheet.content {
            let below = p
                .as_ref()
                .map_or(fields.len() as u32 + 2, |t| t.header_row + t.rows + 2);
            summary = Some((name, below));
        } else if let Some(p) = p {
            placed.push((sheet.name.as_str(), p));
        }
    }
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

/// The workbook of one report.
fn workbook<T: Serialize>(
    report: &T,
    omit: &[&str],
    spec: &ChartSpec,
    adjust: impl FnOnce(&mut Vec<Sheet>),
) -> Result<Vec<u8>> {
    let mut sheets = sheets::sheets(&value_of(report)?, omit);
    adjust(&mut sheets);
    let mut book = Book::new()?;
    write(&mut book, &sheets, "", spec)?;
    book.finish()
}

/// The monthly revenue band and the plan, the chart of `run`.
fn revenue_band(scenario: &str) -> ChartSpec {
    ChartSpec {
        sheet: "Monthly",
        categories: &["label", "month"],
        series: &["revenue P5", "revenue P50", "revenue P95", "revenue plan"],
        kind: ChartType::Line,
        title: format!("Monthly revenue of {scenario}"),
        x_title: "month",
        y_title: "revenue",
        y_format: "#,##0",
    }
}

/// A run's sheets: a segment sheet only when there are several, and the
/// plan's monthly revenue beside the bands (the chart draws it).
fn run_sheets(s: &Summary) -> Result<Vec<Sheet>> {
    let omit: &[&str] = if s.segments.len() > 1 {
        &[]
    } else {
        &["segments"]
    };
    let mut all = sheets::sheets(&value_of(s)?, omit);
    if let Some(Content::Table(t)) = all
        .iter_mut()
        .find(|x| x.name == "Monthly")
        .map(|x| &mut x.content)
    {
        let plan = s
            .plan
            .iter()
            .map(|p| Cell::Number(p.revenue, Style::Amount))
            .collect();
        t.push_column("revenue plan", plan);
    }
    Ok(all)
}

fn no_workbook(what: &str) -> ExportError {
    ExportError::Render(format!(
        "{what} has no workbook: give --format table, json or csv"
    ))
}

impl Exporter for Xlsx {
    fn run(&self, summaries: &[Summary]) -> Result<Vec<u8>> {
        let mut book = Book::new()?;
        let many = summaries.len() > 1;
        if many {
            let items = summaries.iter().map(value_of).collect::<Result<Vec<_>>>()?;
            let batch = Sheet {
                name: "Batch".into(),
                content: Content::Table(rows(&items, &[])),
            };
            book.add(&batch, "")?;
        }
        for (i, s) in summaries.iter().enumerate() {
            let prefix = if many {
                format!("{} ", i + 1)
            } else {
                String::new()
            };
            write(
                &mut book,
                &run_sheets(s)?,
                &prefix,
                &revenue_band(&s.header.scenario),
            )?;
        }
        book.finish()
    }

    fn point(&self, _: &[PointReport]) -> Result<Vec<u8>> {
        Err(no_workbook("run --point"))
    }

    fn stress(&self, report: &StressReport) -> Result<Vec<u8>> {
        let spec = ChartSpec {
            sheet: "Cases",
            categories: &["name"],
            series: &["probability both"],
            kind: ChartType::Bar,
            title: "P(both targets) by stress case".into(),
            x_title: "case",
            y_title: "probability",
            y_format: "0%",
        };
        workbook(report, &[], &spec, |_| {})
    }

    fn sweep(&self, report: &SweepReport) -> Result<Vec<u8>> {
        let spec = ChartSpec {
            sheet: "Points",
            categories: &["value"],
            series: &[
                "probability revenue",
                "probability profit",
                "probability both",
            ],
            kind: ChartType::Line,
            title: format!("Probabilities across {}", report.path),
            x_title: "value",
            y_title: "probability",
            y_format: "0%",
        };
        workbook(report, &[], &spec, |_| {})
    }

    fn kpis(&self, report: &KpiReport) -> Result<Vec<u8>> {
        let spec = ChartSpec {
            sheet: "Monthly",
            categories: &["label", "month"],
            series: &[
                "revenue plan",
                "revenue P10",
                "revenue P50",
                "revenue P90",
                "revenue at confidence",
            ],
            kind: ChartType::Line,
            title: "Monthly revenue: plan and simulation".into(),
            x_title: "month",
            y_title: "revenue",
            y_format: "#,##0",
        };
        workbook(report, &[], &spec, |_| {})
    }

    fn sensitivity(&self, report: &SensitivityReport) -> Result<Vec<u8>> {
        let spec = ChartSpec {
            sheet: "Inputs",
            categories: &["path"],
            series: &["profit at p10", "profit at p90"],
            kind: ChartType::Bar,
            title: "Mean annual profit with each input at its P10 and P90".into(),
            x_title: "input",
            y_title: "profit",
            y_format: "#,##0",
        };
        workbook(report, &[], &spec, |_| {})
    }

    fn solve(&self, report: &SolveReport) -> Result<Vec<u8>> {
        let spec = ChartSpec {
            sheet: "Tried",
            categories: &["value"],
            series: &["probability"],
            kind: ChartType::Scatter,
            title: "Probability at each value tried".into(),
            x_title: "lever value",
            y_title: "probability",
            y_format: "0%",
        };
        workbook(report, &[], &spec, |_| {})
    }

    fn fit(&self, _: &FitReport) -> Result<Vec<u8>> {
        Err(no_workbook("fit"))
    }

    fn track(&self, _: &TrackReport) -> Result<Vec<u8>> {
        Err(no_workbook("track"))
    }
}
