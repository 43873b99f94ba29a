//! Every trial (`--trials-out`), through polars, for users who continue in
//! Python, R or DuckDB: Parquet, or CSV for a `.csv` name. Columns: `trial`
//! (0-based), `revenue`, `profit` (annual, CNY), `hit_revenue`,
//! `hit_profit`, `hit_both`, then one column per uncertain input named by
//! its path (`acquisition.cost_per_registration`, `segments.all.retention`,
//! ...) holding its drawn level D in that trial, or for an input drawn every
//! month the mean of its monthly draws; with `--trials-monthly`, each
//! month's revenue and profit (`revenue_m01`, ..., `profit_m01`, ...).
//! A Parquet file carries where it came from in its key-value metadata
//! ([`PROVENANCE`]), so that it still says so apart from its report.

use std::io::Write;

use polars_core::prelude::*;

use super::{ExportError, parquet};
use crate::aggregate::{Header, TrialTable, TrialValues};

/// How `--trials-out` writes every trial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrialsFormat {
    /// Apache Parquet.
    Parquet,
    /// CSV, one row a trial.
    Csv,
}

/// The keys of a Parquet trials file's metadata, each the run's header
/// field of that name.
pub const PROVENANCE: [&str; 7] = [
    "kpisim",
    "scenario",
    "file",
    "scenario_sha256",
    "seed",
    "trials",
    "sampling",
];

/// The provenance of a run with `header`, as [`PROVENANCE`] names it.
fn provenance(header: &Header) -> Vec<(String, String)> {
    let value = |key: &str| -> String {
        match key {
            "kpisim" => header.kpisim.to_string(),
            "scenario" => header.scenario.clone(),
            "file" => header.file.clone(),
            "scenario_sha256" => header.scenario_sha256.clone(),
            "seed" => header.seed.to_string(),
            "trials" => header.trials.to_string(),
            "sampling" => header.sampling.to_string(),
            _ => unreachable!("every provenance key has a value"),
        }
    };
    PROVENANCE
        .iter()
        .map(|k| (k.to_string(), value(k)))
        .collect()
}

/// Writes `table`, a run with `header`, to `w` in `format`.
pub fn write_trials(
    w: &mut dyn Write,
    table: TrialTable,
    header: &Header,
    format: TrialsFormat,
) -> Result<(), ExportError> {
    let fail = |e: PolarsError| ExportError::Render(format!("cannot write the trials: {e}"));
    let columns = table.into_columns();
    match format {
        TrialsFormat::Parquet => parquet::write(w, &columns, provenance(header)),
        TrialsFormat::Csv => write_csv(w, &columns).map_err(PolarsError::from),
    }
    .map_err(fail)
}

/// The rows of `columns` (all of one length) in runs of `size`: how both
/// writers split the trials, into row groups or CSV pieces.
pub(super) fn row_ranges(columns: &[(String, TrialValues)], size: usize) -> Vec<(usize, usize)> {
    ranges(columns.first().map_or(0, |(_, v)| v.len()), size)
}

/// `rows` rows in runs of `size` (the last one shorter) as (first row,
/// rows); one empty run when there are none.
pub(super) fn ranges(rows: usize, size: usize) -> Vec<(usize, usize)> {
    (0..rows.div_ceil(size).max(1))
        .map(|k| (k * size, size.min(rows - k * size)))
        .collect()
}

/// Rows a CSV piece holds, and pieces encoded while the ones before are
/// written.
const CSV_PIECE: usize = 8192;
const CSV_WINDOW: usize = 4;

/// `columns` as CSV with a header, the bytes polars' `CsvWriter` writes
/// (numbers by the same formatters, zmij and itoa), but formatted here:
/// polars' serializer is fast only when polars-io is optimised, which
/// costs the first build its time (docs/engine.md, "Build time"). Pieces
/// are encoded on the rayon threads while this thread writes the pieces
/// before, in memory for at most two windows of pieces.
fn write_csv(w: &mut dyn Write, columns: &[(String, TrialValues)]) -> std::io::Result<()> {
    let mut header = Vec::new();
    csv_header(&mut header, columns);
    w.write_all(&header)?;
    let pieces = row_ranges(columns, CSV_PIECE);
    // Room for rows of the widest values, so that a piece never grows; a
    // buffer's pages are the system's fresh ones, touched only where
    // written, and each buffer is filled again two windows later, so that
    // its pages are touched once.
    let room = Piece::room(columns.len());
    let encode = |&(offset, len): &(usize, usize), piece: &mut Piece| {
        piece.at = 0;
        csv_rows(piece, columns, offset..offset + len);
    };
    let buffers = || -> Vec<Piece> { (0..CSV_WINDOW).map(|_| Piece::new(room)).collect() };
    let (mut written, mut next) = (buffers(), buffers());
    let mut ready = 0;
    for window in pieces.chunks(CSV_WINDOW) {
        rayon::in_place_scope(|s| {
            for (piece, bytes) in window.iter().zip(&mut next) {
                s.spawn(move |_| encode(piece, bytes));
            }
            written[..ready]
                .iter()
                .try_for_each(|p| w.write_all(p.bytes()))
        })?;
        std::mem::swap(&mut written, &mut next);
        ready = window.len();
    }
    written[..ready]
        .iter()
        .try_for_each(|p| w.write_all(p.bytes()))
}

/// A CSV piece's bytes: a buffer with room for [`CSV_PIECE`] rows of the
/// widest values, filled from the start. Writing by an index into it,
/// rather than pushing onto a `Vec`, keeps the position in a register, and
/// a value of 8 to 32 bytes is copied by two fixed-size copies that
/// overlap rather than by a call to `memmove` (together 40% of the CSV's
/// time, measured).
struct Piece {
    buf: Vec<u8>,
    at: usize,
}

impl Piece {
    /// The widest value: a float's shortest form (`-2.2250738585072014e-308`
    /// is 24 bytes), a u64 (20) or `false`, and its separator.
    const VALUE: usize = 25;
    /// Slack past the last value for a copy of 32 bytes.
    const SLACK: usize = 32;

    fn room(columns: usize) -> usize {
        (Self::VALUE * columns + 1) * CSV_PIECE + Self::SLACK
    }

    /// Zeroed by the allocator (fresh pages for a large buffer), so that
    /// only the pages written are touched.
    fn new(room: usize) -> Self {
        Piece {
            buf: vec![0; room],
            at: 0,
        }
    }

    fn bytes(&self) -> &[u8] {
        &self.buf[..self.at]
    }

    #[inline(always)]
    fn byte(&mut self, b: u8) {
        self.buf[self.at] = b;
        self.at += 1;
    }

    #[inline(always)]
    fn put(&mut self, s: &[u8]) {
        let n = s.len();
        let out = &mut self.buf[self.at..];
        if (16..=32).contains(&n) {
            out[..16].copy_from_slice(&s[..16]);
            out[n - 16..n].copy_from_slice(&s[n - 16..]);
        } else if (8..16).contains(&n) {
            out[..8].copy_from_slice(&s[..8]);
            out[n - 8..n].copy_from_slice(&s[n - 8..]);
        } else {
            out[..n].copy_from_slice(s);
        }
        self.at += n;
    }
}

/// The header line: each name, quoted (quotes doubled) only where it holds
/// a comma, a quote or a line break, as polars quotes.
fn csv_header(bytes: &mut Vec<u8>, columns: &[(String, TrialValues)]) {
    for (j, (name, _)) in columns.iter().enumerate() {
        if j > 0 {
            bytes.push(b',');
        }
        if name.contains([',', '"', '\n', '\r']) {
            bytes.push(b'"');
            bytes.extend_from_slice(name.replace('"', "\"\"").as_bytes());
            bytes.push(b'"');
        } else {
            bytes.extend_from_slice(name.as_bytes());
        }
    }
    bytes.push(b'\n');
}

/// Rows `rows` of `columns`, one line each, from the piece's start.
fn csv_rows(piece: &mut Piece, columns: &[(String, TrialValues)], rows: std::ops::Range<usize>) {
    let (mut int, mut float) = (itoa::Buffer::new(), zmij::Buffer::new());
    for t in rows {
        for (j, (_, values)) in columns.iter().enumerate() {
            if j > 0 {
                piece.byte(b',');
            }
            match values {
                TrialValues::Index(v) => piece.put(int.format(v[t]).as_bytes()),
                TrialValues::Number(v) => piece.put(float.format(v[t]).as_bytes()),
                TrialValues::Hit(v) if v[t] => piece.put(b"true"),
                TrialValues::Hit(_) => piece.put(b"false"),
            }
        }
        piece.byte(b'\n');
    }
}

/// `columns` as a polars frame (copied): what polars' own writers take, for
/// the tests that hold kpisim's against them.
#[cfg(test)]
pub(super) fn polars_frame(columns: &[(String, TrialValues)]) -> polars_core::prelude::DataFrame {
    use polars_core::prelude::*;
    DataFrame::new_infer_height(
        columns
            .iter()
            .map(|(name, values)| match values {
                TrialValues::Index(v) => Column::new(name.as_str().into(), v),
                TrialValues::Number(v) => Column::new(name.as_str().into(), v),
                TrialValues::Hit(v) => Column::new(name.as_str().into(), v),
            })
            .collect(),
    )
    .expect("columns of one length")
}

#[cfg(test)]
mod tests {
    use polars_io::prelude::*;

    use super::*;

    #[test]
    fn csv_is_the_bytes_polars_writes() {
        let numbers = vec![
            0.0,
            -0.0,
            1.0,
            -1.5,
            0.1,
            1e-7,
            123_456_789.123,
            4.5e8,
            1e16,
            1e21,
            -2.5e-300,
            f64::MAX,
            f64::MIN_POSITIVE,
        ];
        let rows = numbers.len();
        let columns = vec![
            (
                "trial".to_string(),
                TrialValues::Index((0..rows as u64).map(|t| t * 999_999_937).collect()),
            ),
            (
                "acquisition.cost_per_registration".to_string(),
                TrialValues::Number(numbers),
            ),
            (
                "a, \"quoted\" name".to_string(),
                TrialValues::Hit((0..rows).map(|t| t % 3 == 0).collect()),
            ),
        ];
        let mut df = polars_frame(&columns);
        let mut by_polars = Vec::new();
        CsvWriter::new(&mut by_polars).finish(&mut df).unwrap();
        let mut ours = Vec::new();
        write_csv(&mut ours, &columns).unwrap();
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(by_polars).unwrap()
        );
    }

    #[test]
    fn ranges_cover_the_rows() {
        assert_eq!(ranges(0, 4), [(0, 0)]);
        assert_eq!(ranges(9, 4), [(0, 4), (4, 4), (8, 1)]);
    }
}
