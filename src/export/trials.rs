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

use polars::prelude::*;

use super::ExportError;
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

/// `kv` and, under the key Arrow readers look for, the file's Arrow schema
/// holding `kv` as its metadata. polars would add its own schema without
/// metadata, and pyarrow shows the schema's metadata, not the file's.
fn with_arrow_schema(df: &DataFrame, mut kv: Vec<(String, String)>) -> Vec<(String, String)> {
    use base64::Engine;
    use polars_arrow::io::ipc::write::{default_ipc_fields, schema::schema_to_bytes};
    let schema = df.schema().to_arrow(CompatLevel::newest());
    let metadata: polars_arrow::datatypes::Metadata = kv
        .iter()
        .map(|(k, v)| (k.as_str().into(), v.as_str().into()))
        .collect();
    let bytes = schema_to_bytes(
        &schema,
        &default_ipc_fields(schema.iter_values()),
        Some(&metadata),
    );
    // The legacy IPC framing Parquet's Arrow schema keeps: a continuation
    // marker, then the message's length.
    let mut framed = Vec::with_capacity(bytes.len() + 8);
    framed.extend_from_slice(&[255, 255, 255, 255]);
    framed.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    framed.extend_from_slice(&bytes);
    kv.insert(
        0,
        (
            "ARROW:schema".into(),
            base64::engine::general_purpose::STANDARD.encode(framed),
        ),
    );
    kv
}

/// Writes `table`, a run with `header`, to `w` in `format`.
pub fn write_trials(
    w: &mut dyn Write,
    table: TrialTable,
    header: &Header,
    format: TrialsFormat,
) -> Result<(), ExportError> {
    // Moved in, not copied (`Column::new` copies a vector's values).
    let columns: Vec<Column> = table
        .into_columns()
        .into_iter()
        .map(|(name, values)| match values {
            TrialValues::Index(v) => UInt64Chunked::from_vec(name.into(), v).into_column(),
            TrialValues::Number(v) => Float64Chunked::from_vec(name.into(), v).into_column(),
            TrialValues::Hit(v) => BooleanChunked::from_slice(name.into(), &v).into_column(),
        })
        .collect();
    let fail = |e: PolarsError| ExportError::Render(format!("cannot write the trials: {e}"));
    let df = DataFrame::new_infer_height(columns).map_err(fail)?;
    match format {
        TrialsFormat::Parquet => write_parquet(w, &df, provenance(header)),
        TrialsFormat::Csv => write_csv(w, &df),
    }
    .map_err(fail)
}

/// `rows` rows in runs of `size` (the last one shorter) as (first row,
/// rows); one empty run when there are none.
fn ranges(rows: usize, size: usize) -> Vec<(usize, usize)> {
    (0..rows.div_ceil(size).max(1))
        .map(|k| (k * size, size.min(rows - k * size)))
        .collect()
}

/// Rows of a Parquet row group: polars' default.
const ROW_GROUP: usize = 512 * 512;

/// `df` as Parquet, with `kv` in its metadata. polars' writer encodes and
/// compresses the pages on the thread that writes; here each column of
/// each row group is encoded and compressed on its own rayon task, and the
/// pages written in order, so that the bytes do not depend on the threads.
fn write_parquet(w: &mut dyn Write, df: &DataFrame, kv: Vec<(String, String)>) -> PolarsResult<()> {
    use polars::io::parquet::write::get_encodings;
    use polars_parquet::write::{CompressedPage, Version, WriteOptions, compress};
    use rayon::prelude::*;
    // Min, max and null counts only: distinct counts (a HyperLogLog of
    // every value) measured a tenth of the write, and no reader of trials
    // needs them.
    let statistics = StatisticsOptions {
        distinct_count: false,
        ..StatisticsOptions::default()
    };
    let compression = ParquetCompression::default();
    let mut writer = ParquetWriter::new(w)
        .with_compression(compression)
        .with_statistics(statistics)
        .with_row_group_size(Some(ROW_GROUP))
        .with_key_value_metadata(Some(KeyValueMetadata::from_static(with_arrow_schema(
            df, kv,
        ))))
        .batched(df.schema())?;
    // As polars' writer sets them (ParquetWriter::materialize_options).
    let options = WriteOptions {
        statistics,
        compression: compression.into(),
        version: Version::V1,
        data_page_size: None,
    };
    let encodings = get_encodings(&df.schema().to_arrow(CompatLevel::newest()));
    let types = writer.parquet_schema().fields().to_vec();
    let columns = df.columns();
    let groups = ranges(df.height(), ROW_GROUP);
    let encode = |(g, c): (usize, usize)| -> PolarsResult<Vec<CompressedPage>> {
        let (offset, len) = groups[g];
        let array = columns[c]
            .as_materialized_series()
            .slice(offset as i64, len)
            .rechunk()
            .to_arrow(0, CompatLevel::newest());
        let mut pages = Vec::new();
        for leaf in polars_parquet::write::array_to_columns(
            array,
            types[c].clone(),
            options,
            &encodings[c],
        )? {
            for page in leaf {
                pages.push(compress(page?, Vec::new(), options.compression)?);
            }
        }
        Ok(pages)
    };
    let tasks: Vec<(usize, usize)> = (0..groups.len())
        .flat_map(|g| (0..columns.len()).map(move |c| (g, c)))
        .collect();
    let mut encoded = tasks
        .into_par_iter()
        .map(encode)
        .collect::<PolarsResult<Vec<_>>>()?
        .into_iter();
    for (_, len) in &groups {
        let group: Vec<Vec<CompressedPage>> = encoded.by_ref().take(columns.len()).collect();
        writer.write_row_group(*len as u64, &group)?;
    }
    writer.finish().map(|_| ())
}

/// Rows a CSV piece holds, and pieces encoded while the ones before are
/// written.
const CSV_PIECE: usize = 1 << 14;
const CSV_WINDOW: usize = 8;

/// `df` as CSV with a header: the bytes polars writes, but encoded piece by
/// piece on the rayon threads while this thread writes the pieces before
/// (polars' writer encodes, then writes, then encodes again), in memory
/// for at most two windows of pieces.
fn write_csv(w: &mut dyn Write, df: &DataFrame) -> PolarsResult<()> {
    let pieces = ranges(df.height(), CSV_PIECE);
    // Room for a row of the widest numbers (25 bytes a value), so that a
    // piece's buffer is not copied as it grows; the buffers of one window
    // are written, then filled again two windows later, so that their
    // pages are touched once.
    let room = (25 * df.width() + 1) * (CSV_PIECE + 1);
    let encode = |&(offset, len): &(usize, usize), bytes: &mut Vec<u8>| -> PolarsResult<()> {
        bytes.clear();
        bytes.reserve(room);
        CsvWriter::new(bytes)
            .include_header(offset == 0)
            .n_threads(1)
            .finish(&mut df.slice(offset as i64, len))
    };
    let buffers = || -> Vec<Vec<u8>> { (0..CSV_WINDOW).map(|_| Vec::new()).collect() };
    let (mut written, mut next) = (buffers(), buffers());
    let mut ready = 0;
    for window in pieces.chunks(CSV_WINDOW) {
        let mut results: Vec<PolarsResult<()>> = window.iter().map(|_| Ok(())).collect();
        rayon::in_place_scope(|s| {
            for ((result, piece), bytes) in results.iter_mut().zip(window).zip(&mut next) {
                s.spawn(move |_| *result = encode(piece, bytes));
            }
            written[..ready].iter().try_for_each(|b| w.write_all(b))
        })?;
        results.into_iter().collect::<PolarsResult<()>>()?;
        std::mem::swap(&mut written, &mut next);
        ready = window.len();
    }
    written[..ready].iter().try_for_each(|b| w.write_all(b))?;
    Ok(())
}
