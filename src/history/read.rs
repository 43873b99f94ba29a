//! Reading a history CSV with polars, every cell as text, then checking it
//! here, where the row and the column of each problem are known: polars'
//! own number parsing would report a bad cell without saying which.

use std::io::Read;
use std::path::Path;

use polars_core::prelude::*;
use polars_io::prelude::*;

use super::error::{HistoryError, HistoryErrorKind, HistoryErrors};
use super::{History, SegmentColumns, SegmentHistory};
use crate::scenario::YearMonth;

/// The columns every history has, in the order the format lists them.
pub const BASE_COLUMNS: [&str; 6] = [
    "month",
    "marketing_spend",
    "registrations",
    "new_payers",
    "payers",
    "revenue",
];

/// Fewest months a history may have: a ratio's scatter needs two values,
/// and retention loses the first month.
pub const MIN_ROWS: usize = 3;

/// Largest file read: ten years of monthly rows with many segments is a few
/// kilobytes, so anything near this is not a history.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// What a history must say of a plan's segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segments {
    /// Each segment's payers, new payers and revenue (`fit` estimates each
    /// segment's retention and ARPU from them).
    Required,
    /// Each segment's columns, or none at all: totals only (`track` then
    /// updates what totals show and keeps the rest at the plan).
    Optional,
}

/// Reads and checks the history at `path` against a plan whose segments
/// have these names, as `want` says.
pub fn read(path: &Path, segments: &[String], want: Segments) -> Result<History, HistoryErrors> {
    let file = path.display().to_string();
    let whole = |kind| HistoryErrors(vec![problem(&file, None, None, None, kind)]);
    if path.is_dir() {
        return Err(whole(HistoryErrorKind::Unreadable(
            "it is a directory".into(),
        )));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| whole(HistoryErrorKind::Unreadable(e.to_string())))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(whole(HistoryErrorKind::TooLarge {
            limit: MAX_FILE_BYTES,
        }));
    }
    read_bytes(&file, bytes, segments, want)
}

fn problem(
    file: &str,
    row: Option<usize>,
    column: Option<&str>,
    value: Option<&str>,
    kind: HistoryErrorKind,
) -> HistoryError {
    HistoryError {
        file: file.to_string(),
        row,
        column: column.map(str::to_string),
        value: value.map(str::to_string),
        kind,
    }
}

/// Parses the bytes of `file` into text columns: lines starting with `#`
/// are comments.
fn frame(file: &str, bytes: Vec<u8>) -> Result<DataFrame, HistoryErrors> {
    let fail = |e: PolarsError| {
        HistoryErrors(vec![problem(
            file,
            None,
            None,
            None,
            HistoryErrorKind::Csv(e.to_string().lines().next().unwrap_or("").to_string()),
        )])
    };
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .map_parse_options(|p| p.with_comment_prefix(Some("#")))
        .into_reader_with_file_handle(std::io::Cursor::new(bytes))
        .finish()
        .map_err(fail)
}

/// The text cells of a column, `None` for an empty one.
fn cells(df: &DataFrame, name: &str) -> Option<Vec<Option<String>>> {
    let col = df.columns().iter().find(|c| c.name().trim() == name)?;
    let s = col.as_materialized_series();
    let text = s.str().ok()?;
    Some(
        text.iter()
            .map(|c| {
                c.map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
            })
            .collect(),
    )
}

/// Rows with more or fewer cells than the header, found before polars
/// (whose message would not say which row). Lines with quotes are left to
/// polars, which knows the rules for commas inside them.
fn ragged(file: &str, bytes: &[u8]) -> Vec<HistoryError> {
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    let Some(header) = lines.next() else {
        return Vec::new();
    };
    let cells = |l: &str| l.split(',').count();
    let want = cells(header);
    lines
        .enumerate()
        .filter(|(_, l)| !l.contains('"') && cells(l) != want)
        .map(|(i, l)| {
            problem(
                file,
                Some(i + 1),
                None,
                None,
                HistoryErrorKind::Cells {
                    found: cells(l),
                    header: want,
                },
            )
        })
        .collect()
}

/// The bytes without the blank lines at their end: an editor's last empty
/// line is no month, and polars would read it as a row of empty cells.
fn without_trailing_blank_lines(mut bytes: Vec<u8>) -> Vec<u8> {
    let text_end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    // Keep the end of the last line that has text.
    let line_end = bytes[text_end..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| text_end + i + 1);
    bytes.truncate(line_end);
    bytes
}

/// Columns the header names more than once: polars would rename the second
/// copy and the first would be used without a word.
fn repeated_columns(file: &str, bytes: &[u8]) -> Vec<HistoryError> {
    let text = String::from_utf8_lossy(bytes);
    let Some(header) = text
        .lines()
        .find(|l| !l.starts_with('#') && !l.trim().is_empty())
    else {
        return Vec::new();
    };
    let names: Vec<&str> = header
        .split(',')
        .map(|c| c.trim().trim_matches('"'))
        .collect();
    // Each repeated name once, where it is first repeated.
    names
        .iter()
        .enumerate()
        .filter(|(i, n)| names[..*i].iter().filter(|m| m == n).count() == 1)
        .map(|(_, n)| {
            problem(
                file,
                None,
                Some(n),
                None,
                HistoryErrorKind::RepeatedColumn {
                    times: names.iter().filter(|m| *m == n).count(),
                },
            )
        })
        .collect()
}

/// Parses and checks history bytes read from `file`.
pub fn read_bytes(
    file: &str,
    bytes: Vec<u8>,
    segments: &[String],
    want: Segments,
) -> Result<History, HistoryErrors> {
    let bytes = without_trailing_blank_lines(bytes);
    let mut uneven = repeated_columns(file, &bytes);
    uneven.extend(ragged(file, &bytes));
    if !uneven.is_empty() {
        return Err(HistoryErrors(uneven));
    }
    let df = frame(file, bytes)?;
    let mut problems = Vec::new();
    let seg_columns: Vec<(String, SegmentColumns)> = segments
        .iter()
        .map(|n| {
            (
                n.clone(),
                SegmentColumns {
                    payers: format!("payers_{n}"),
                    new_payers: format!("new_payers_{n}"),
                    revenue: format!("revenue_{n}"),
                },
            )
        })
        .collect();
    // By name only: reading a column's cells is for when they are used.
    let has = |c: &str| df.columns().iter().any(|col| col.name().trim() == c);
    for c in BASE_COLUMNS {
        if !has(c) {
            problems.push(problem(
                file,
                None,
                Some(c),
                None,
                HistoryErrorKind::MissingColumn {
                    column: c.to_string(),
                    why: None,
                },
            ));
        }
    }
    let none = seg_columns
        .iter()
        .all(|(_, c)| !has(&c.payers) && !has(&c.new_payers) && !has(&c.revenue));
    // Several segments and not one of their columns: totals only, where
    // the caller takes them.
    let totals_only = segments.len() > 1 && none && want == Segments::Optional;
    let per_segment = !totals_only
        && (segments.len() > 1
            || seg_columns
                .iter()
                .all(|(_, c)| has(&c.payers) && has(&c.new_payers) && has(&c.revenue)));
    if per_segment && segments.len() > 1 {
        let why = format!(
            "the plan has segments {}: each needs its payers, new payers and revenue",
            segments.join(", ")
        );
        for (_, c) in &seg_columns {
            for col in [&c.payers, &c.new_payers, &c.revenue] {
                if !has(col) {
                    problems.push(problem(
                        file,
                        None,
                        Some(col),
                        None,
                        HistoryErrorKind::MissingColumn {
                            column: col.clone(),
                            why: Some(why.clone()),
                        },
                    ));
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(HistoryErrors(problems));
    }
    let rows = df.height();
    if rows < MIN_ROWS {
        return Err(HistoryErrors(vec![problem(
            file,
            None,
            None,
            None,
            HistoryErrorKind::TooFewRows {
                rows,
                min: MIN_ROWS,
            },
        )]));
    }
    let months = month_column(
        file,
        &cells(&df, "month").unwrap_or_default(),
        &mut problems,
    );
    let mut number = |name: &str| -> Vec<f64> {
        let column = cells(&df, name).unwrap_or_default();
        column
            .iter()
            .enumerate()
            .map(|(i, c)| match number_cell(c.as_deref()) {
                Ok(v) => v,
                Err(kind) => {
                    problems.push(problem(file, Some(i + 1), Some(name), c.as_deref(), kind));
                    f64::NAN
                }
            })
            .collect()
    };
    let spend = number("marketing_spend");
    let registrations = number("registrations");
    let new_payers = number("new_payers");
    let payers = number("payers");
    let revenue = number("revenue");
    let segments = seg_columns
        .into_iter()
        .filter(|_| !totals_only)
        .map(|(name, c)| {
            if per_segment {
                SegmentHistory {
                    name,
                    payers: number(&c.payers),
                    new_payers: number(&c.new_payers),
                    revenue: number(&c.revenue),
                    columns: c,
                }
            } else {
                SegmentHistory {
                    name,
                    payers: payers.clone(),
                    new_payers: new_payers.clone(),
                    revenue: revenue.clone(),
                    columns: SegmentColumns {
                        payers: "payers".into(),
                        new_payers: "new_payers".into(),
                        revenue: "revenue".into(),
                    },
                }
            }
        })
        .collect();
    if !problems.is_empty() {
        return Err(HistoryErrors(problems));
    }
    Ok(History {
        file: file.to_string(),
        months,
        spend,
        registrations,
        new_payers,
        payers,
        revenue,
        segments,
        totals_only,
    })
}

/// A cell as a finite number of 0 or more.
fn number_cell(cell: Option<&str>) -> Result<f64, HistoryErrorKind> {
    let text = cell.ok_or(HistoryErrorKind::Empty)?;
    // Rust's parser takes `inf` and `NaN`; a history never holds them.
    let v: f64 = text.parse().map_err(|_| HistoryErrorKind::NotANumber)?;
    if !v.is_finite() {
        return Err(HistoryErrorKind::NotANumber);
    }
    if v < 0.0 {
        return Err(HistoryErrorKind::Negative);
    }
    Ok(v)
}

/// The `month` column: `YYYY-MM`, consecutive.
fn month_column(
    file: &str,
    column: &[Option<String>],
    problems: &mut Vec<HistoryError>,
) -> Vec<YearMonth> {
    let mut months = Vec::with_capacity(column.len());
    let mut previous: Option<YearMonth> = None;
    for (i, cell) in column.iter().enumerate() {
        let row = Some(i + 1);
        let Some(text) = cell else {
            problems.push(problem(
                file,
                row,
                Some("month"),
                None,
                HistoryErrorKind::Empty,
            ));
            previous = None;
            continue;
        };
        let Some(m) = YearMonth::parse(text) else {
            problems.push(problem(
                file,
                row,
                Some("month"),
                Some(text),
                HistoryErrorKind::MonthFormat,
            ));
            previous = None;
            continue;
        };
        if let Some(p) = previous {
            let next = p.label(2);
            let this = m.label(1);
            if this < next {
                problems.push(problem(
                    file,
                    row,
                    Some("month"),
                    Some(text),
                    HistoryErrorKind::Repeat {
                        previous: p.label(1),
                    },
                ));
            } else if this > next {
                problems.push(problem(
                    file,
                    row,
                    Some("month"),
                    Some(text),
                    HistoryErrorKind::Gap { expected: next },
                ));
            }
        }
        previous = Some(m);
        months.push(m);
    }
    months
}
