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
use crate::aggregate::{Header, TrialTable};
use crate::model::HitRule;

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
    let n = table.revenue.len() as u64;
    let bit = |b: u8| table.hits.iter().map(|h| h & b != 0).collect::<Vec<bool>>();
    let (hit_r, hit_p, hit_b) = (
        bit(HitRule::REVENUE),
        bit(HitRule::PROFIT),
        bit(HitRule::BOTH),
    );
    let mut columns = vec![
        Column::new("trial".into(), (0..n).collect::<Vec<u64>>()),
        Column::new("revenue".into(), table.revenue),
        Column::new("profit".into(), table.profit),
        Column::new("hit_revenue".into(), hit_r),
        Column::new("hit_profit".into(), hit_p),
        Column::new("hit_both".into(), hit_b),
    ];
    for (name, col) in table.levels.into_iter().chain(table.monthly) {
        columns.push(Column::new(name.as_str().into(), col));
    }
    let fail = |e: PolarsError| ExportError::Render(format!("cannot write the trials: {e}"));
    let mut df = DataFrame::new_infer_height(columns).map_err(fail)?;
    match format {
        // Min, max and null counts only: distinct counts (a HyperLogLog of
        // every value) measured a tenth of the write, and no reader of
        // trials needs them.
        TrialsFormat::Parquet => ParquetWriter::new(w)
            .with_statistics(StatisticsOptions {
                distinct_count: false,
                ..StatisticsOptions::default()
            })
            .with_key_value_metadata(Some(KeyValueMetadata::from_static(with_arrow_schema(
                &df,
                provenance(header),
            ))))
            .finish(&mut df)
            .map(|_| ()),
        TrialsFormat::Csv => CsvWriter::new(w).include_header(true).finish(&mut df),
    }
    .map_err(fail)
}
