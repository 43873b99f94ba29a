//! Every trial (`--trials-out`), through polars, for users who continue in
//! Python, R or DuckDB: Parquet, or CSV for a `.csv` name. Columns: `trial`
//! (0-based), `revenue`, `profit` (annual, CNY), `hit_revenue`,
//! `hit_profit`, `hit_both`, then one column per uncertain input named by
//! its path (`acquisition.cost_per_registration`, `segments.all.retention`,
//! ...) holding its drawn level D in that trial, or for an input drawn every
//! month the mean of its monthly draws.

use std::io::Write;

use polars::prelude::*;

use super::ExportError;
use crate::aggregate::TrialTable;
use crate::model::HitRule;

/// How `--trials-out` writes every trial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrialsFormat {
    /// Apache Parquet.
    Parquet,
    /// CSV, one row a trial.
    Csv,
}

/// Writes `table` to `w` in `format`.
pub fn write_trials(
    w: &mut dyn Write,
    table: TrialTable,
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
    for (name, col) in table.levels {
        columns.push(Column::new(name.as_str().into(), col));
    }
    let fail = |e: PolarsError| ExportError::Render(format!("cannot write the trials: {e}"));
    let mut df = DataFrame::new_infer_height(columns).map_err(fail)?;
    match format {
        TrialsFormat::Parquet => ParquetWriter::new(w).finish(&mut df).map(|_| ()),
        TrialsFormat::Csv => CsvWriter::new(w).include_header(true).finish(&mut df),
    }
    .map_err(fail)
}
