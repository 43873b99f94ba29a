//! CSV through polars: a report declares its columns once ([`CsvSpec`]),
//! the same declaration `--help` describes, and gives its rows as cells in
//! that order; raw numbers, one header line, empty cells where a column
//! does not apply.

use polars_core::prelude::*;
use polars_io::prelude::*;

use super::{ExportError, Result};

/// A report's CSV: what one row is, its columns, and what else a reader
/// needs to know. `--help` is written from it, and so is the header.
#[derive(Debug, Clone, Copy)]
pub struct CsvSpec {
    /// What one row is: `one row per case, the baseline first`.
    pub rows: &'static str,
    /// The columns, in order.
    pub columns: &'static [&'static str],
    /// A sentence or two more (units, empty cells), or nothing.
    pub notes: &'static str,
}

impl CsvSpec {
    /// No CSV.
    pub const NONE: CsvSpec = CsvSpec {
        rows: "",
        columns: &[],
        notes: "",
    };
}

/// The columns of a band: mean, sd and the percentiles, as every report
/// names them.
pub const BAND_COLUMNS: [&str; 9] = ["mean", "sd", "p5", "p10", "p25", "p50", "p75", "p90", "p95"];

/// One cell. A column takes the kind of its first cell that is not empty.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A whole number (a month, a count).
    Whole(u64),
    /// A number, written as polars writes a float.
    Number(f64),
    /// true or false.
    Flag(bool),
    /// Nothing: the column does not apply to this row.
    Empty,
}

impl Cell {
    /// Text, or empty.
    pub fn text(s: Option<impl Into<String>>) -> Cell {
        s.map_or(Cell::Empty, |s| Cell::Text(s.into()))
    }

    /// A number, or empty.
    pub fn number(x: Option<f64>) -> Cell {
        x.map_or(Cell::Empty, Cell::Number)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<f64> for Cell {
    fn from(x: f64) -> Self {
        Cell::Number(x)
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Self {
        Cell::Whole(n as u64)
    }
}

/// The cells of a band, in [`BAND_COLUMNS`] order.
pub fn band(b: &crate::aggregate::Bands) -> [Cell; 9] {
    let p = b.percentiles();
    [b.mean, b.sd, p[0], p[1], p[2], p[3], p[4], p[5], p[6]].map(Cell::Number)
}

/// Nine empty cells, where a row has no band.
pub fn no_band() -> [Cell; 9] {
    std::array::from_fn(|_| Cell::Empty)
}

fn fail(e: impl std::fmt::Display) -> ExportError {
    ExportError::Render(format!("cannot render CSV: {e}"))
}

/// One column of `rows` as a polars column of its kind.
fn column(name: &str, j: usize, rows: &[Vec<Cell>]) -> Column {
    let cells = rows.iter().map(|r| &r[j]);
    let kind = rows.iter().map(|r| &r[j]).find(|c| **c != Cell::Empty);
    let name = name.into();
    match kind {
        Some(Cell::Whole(_)) => Column::new(
            name,
            cells
                .map(|c| match c {
                    Cell::Whole(n) => Some(*n),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        ),
        Some(Cell::Number(_)) => Column::new(
            name,
            cells
                .map(|c| match c {
                    Cell::Number(x) => Some(*x),
                    Cell::Whole(n) => Some(*n as f64),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        ),
        Some(Cell::Flag(_)) => Column::new(
            name,
            cells
                .map(|c| match c {
                    Cell::Flag(b) => Some(*b),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        ),
        _ => Column::new(
            name,
            cells
                .map(|c| match c {
                    Cell::Text(s) => Some(s.clone()),
                    _ => None,
                })
                .collect::<Vec<Option<String>>>(),
        ),
    }
}

/// The CSV text of `rows` under `spec`'s header. A row whose width is not
/// the header's is a renderer's mistake, refused rather than shifted.
pub fn write(spec: &CsvSpec, rows: &[Vec<Cell>]) -> Result<String> {
    if let Some(r) = rows.iter().find(|r| r.len() != spec.columns.len()) {
        return Err(fail(format!(
            "a row of {} cells under a header of {}",
            r.len(),
            spec.columns.len()
        )));
    }
    let columns: Vec<Column> = spec
        .columns
        .iter()
        .enumerate()
        .map(|(j, name)| column(name, j, rows))
        .collect();
    let mut df = DataFrame::new_infer_height(columns).map_err(fail)?;
    let mut buf = Vec::new();
    CsvWriter::new(&mut buf)
        .include_header(true)
        .finish(&mut df)
        .map_err(fail)?;
    String::from_utf8(buf).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: CsvSpec = CsvSpec {
        rows: "one row per thing",
        columns: &["name", "month", "value", "flag"],
        notes: "",
    };

    #[test]
    fn cells_take_their_columns_kind_and_empty_cells_stay_empty() {
        let rows = vec![
            vec![
                Cell::from("a"),
                Cell::Whole(1),
                Cell::Empty,
                Cell::Flag(true),
            ],
            vec![Cell::Empty, Cell::Whole(2), Cell::Number(0.5), Cell::Empty],
        ];
        assert_eq!(
            write(&SPEC, &rows).unwrap(),
            "name,month,value,flag\na,1,,true\n,2,0.5,\n"
        );
    }

    #[test]
    fn a_row_of_the_wrong_width_is_refused() {
        assert!(write(&SPEC, &[vec![Cell::from("a")]]).is_err());
    }
}
