//! The trials file as Parquet: pages encoded here, framed by polars.
//!
//! polars' own writer encodes each page through generic iterator code that
//! is fast only when polars is optimised, and optimising polars made the
//! first `cargo build --release` take over four minutes on a 2-core machine
//! (docs/engine.md, "Build time"); unoptimised, a 1,000,000-trial file took
//! 0.85 s more than the run. The trials' columns are plain: non-null f64,
//! u64 and bool. So each page is written here, as polars writes such a
//! page (PLAIN values after an RLE run of definition levels, min, max and
//! null count), then compressed with zstd at polars' level, each column of
//! each row group on its own rayon task; polars writes the schema, the row
//! groups and the footer. The file is byte for byte the one polars writes
//! (a unit test holds the two side by side), except that polars would
//! store a small row group (the last one of some runs) with a dictionary,
//! an equally valid encoding.

use std::io::Write;

use polars_core::prelude::*;
use polars_io::prelude::*;
use polars_parquet::parquet::CowBuffer;
use polars_parquet::parquet::compression::Compression;
use polars_parquet::parquet::encoding::Encoding;
use polars_parquet::parquet::metadata::Descriptor;
use polars_parquet::parquet::page::{CompressedDataPage, DataPageHeader, DataPageHeaderV1};
use polars_parquet::parquet::schema::types::{ParquetType, PrimitiveType};
use polars_parquet::parquet::statistics::{BooleanStatistics, PrimitiveStatistics};
use polars_parquet::write::CompressedPage;
use rayon::prelude::*;

use super::trials::{ranges, row_ranges};
use crate::aggregate::TrialValues;

/// Rows of a row group: polars' default.
pub const ROW_GROUP: usize = 512 * 512;

/// Largest page, in bytes of values: polars' default.
const PAGE_BYTES: usize = 1 << 20;

/// The polars type of a trials column.
fn dtype(values: &TrialValues) -> DataType {
    match values {
        TrialValues::Index(_) => DataType::UInt64,
        TrialValues::Number(_) => DataType::Float64,
        TrialValues::Hit(_) => DataType::Boolean,
    }
}

/// Writes `columns` to `w` as Parquet with `kv` in the file's metadata and
/// its Arrow schema's (zstd, statistics without distinct counts, as
/// polars' defaults).
pub fn write(
    w: &mut dyn Write,
    columns: &[(String, TrialValues)],
    kv: Vec<(String, String)>,
) -> PolarsResult<()> {
    let schema: Schema = columns
        .iter()
        .map(|(name, values)| Field::new(name.as_str().into(), dtype(values)))
        .collect();
    let mut writer = ParquetWriter::new(w)
        .with_compression(ParquetCompression::Zstd(None))
        .with_row_group_size(Some(ROW_GROUP))
        .with_key_value_metadata(Some(KeyValueMetadata::from_static(with_arrow_schema(
            &schema, kv,
        ))))
        .batched(&schema)?;
    let types: Vec<PrimitiveType> = writer
        .parquet_schema()
        .fields()
        .iter()
        .map(|t| match t {
            ParquetType::PrimitiveType(p) => p.clone(),
            ParquetType::GroupType { .. } => unreachable!("trials columns are flat"),
        })
        .collect();
    let groups = row_ranges(columns, ROW_GROUP);
    let tasks: Vec<(usize, usize)> = (0..groups.len())
        .flat_map(|g| (0..columns.len()).map(move |c| (g, c)))
        .collect();
    let mut encoded = tasks
        .into_par_iter()
        .map_init(Scratch::new, |scratch, (g, c)| {
            column_pages(&columns[c].1, groups[g], &types[c], scratch)
        })
        .collect::<PolarsResult<Vec<_>>>()?
        .into_iter();
    for (_, len) in &groups {
        let group: Vec<Vec<CompressedPage>> = encoded.by_ref().take(columns.len()).collect();
        writer.write_row_group(*len as u64, &group)?;
    }
    writer.finish().map(|_| ())
}

/// `kv` and, under the key Arrow readers look for, the file's Arrow schema
/// (of `schema`) holding `kv` as its metadata. polars would add its own
/// schema without metadata, and pyarrow shows the schema's metadata, not
/// the file's.
fn with_arrow_schema(schema: &Schema, mut kv: Vec<(String, String)>) -> Vec<(String, String)> {
    use base64::Engine;
    use polars_arrow::io::ipc::write::{default_ipc_fields, schema::schema_to_bytes};
    let schema = schema.to_arrow(CompatLevel::newest());
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

/// A worker's zstd context and page buffer, reused from page to page.
struct Scratch {
    zstd: zstd::bulk::Compressor<'static>,
    page: Vec<u8>,
}

impl Scratch {
    fn new() -> Self {
        Scratch {
            // Level 0: zstd's default (3), as polars compresses.
            zstd: zstd::bulk::Compressor::new(0).expect("zstd has a default level"),
            page: Vec::new(),
        }
    }
}

/// Rows `(offset, len)` of one column as zstd-compressed pages.
fn column_pages(
    values: &TrialValues,
    (offset, len): (usize, usize),
    type_: &PrimitiveType,
    scratch: &mut Scratch,
) -> PolarsResult<Vec<CompressedPage>> {
    // As polars sizes a page: the bytes a row takes, plus one.
    let width = match values {
        TrialValues::Hit(_) => 0,
        _ => 8,
    };
    ranges(len, (PAGE_BYTES / (width + 1)).max(1))
        .into_iter()
        .map(|(o, n)| {
            let header = data_page(values, offset + o, n, &mut scratch.page, type_);
            let plain = &scratch.page;
            let mut compressed = Vec::with_capacity(zstd::zstd_safe::compress_bound(plain.len()));
            scratch
                .zstd
                .compress_to_buffer(plain, &mut compressed)
                .map_err(|e| polars_err!(ComputeError: "zstd: {e}"))?;
            let descriptor = Descriptor {
                primitive_type: type_.clone(),
                max_def_level: 0,
                max_rep_level: 0,
            };
            Ok(CompressedPage::Data(CompressedDataPage::new(
                header,
                CowBuffer::Owned(compressed),
                Compression::Zstd,
                plain.len(),
                descriptor,
                n,
            )))
        })
        .collect()
}

/// Rows `at..at + n` of `values` as one PLAIN data page (version 1) of an
/// optional column without nulls: its bytes into `buffer`, its header
/// returned.
fn data_page(
    values: &TrialValues,
    at: usize,
    n: usize,
    buffer: &mut Vec<u8>,
    type_: &PrimitiveType,
) -> DataPageHeader {
    buffer.clear();
    definition_levels(buffer, n);
    let statistics = match values {
        TrialValues::Index(v) => {
            let v = &v[at..at + n];
            for &x in v {
                buffer.extend_from_slice(&(x as i64).to_le_bytes());
            }
            PrimitiveStatistics::<i64> {
                primitive_type: type_.clone(),
                null_count: Some(0),
                distinct_count: None,
                min_value: v.iter().min().map(|&x| x as i64),
                max_value: v.iter().max().map(|&x| x as i64),
            }
            .serialize()
        }
        TrialValues::Number(v) => {
            let v = &v[at..at + n];
            for &x in v {
                buffer.extend_from_slice(&x.to_le_bytes());
            }
            // One pass for both bounds (the trials hold no NaN: a run stops
            // at a value that is not finite). Parquet's rule for a zero
            // bound: -0.0 as a minimum, +0.0 as a maximum.
            let (min, max) = crate::stats::range(v);
            PrimitiveStatistics::<f64> {
                primitive_type: type_.clone(),
                null_count: Some(0),
                distinct_count: None,
                min_value: (n > 0).then_some(if min == 0.0 { -0.0 } else { min }),
                max_value: (n > 0).then_some(if max == 0.0 { 0.0 } else { max }),
            }
            .serialize()
        }
        TrialValues::Hit(v) => {
            let v = &v[at..at + n];
            for byte in v.chunks(8) {
                buffer.push(
                    byte.iter()
                        .enumerate()
                        .fold(0u8, |b, (i, &x)| b | (u8::from(x) << i)),
                );
            }
            BooleanStatistics {
                null_count: Some(0),
                distinct_count: None,
                min_value: (n > 0).then(|| v.iter().all(|&x| x)),
                max_value: (n > 0).then(|| v.iter().any(|&x| x)),
            }
            .serialize()
        }
    };
    DataPageHeader::V1(DataPageHeaderV1 {
        num_values: n as i32,
        encoding: Encoding::Plain.into(),
        definition_level_encoding: Encoding::Rle.into(),
        repetition_level_encoding: Encoding::Rle.into(),
        statistics: Some(statistics),
    })
}

/// Definition levels of `n` present values, as a version 1 page holds
/// them: the byte length, then one RLE run of 1s (bit width 1).
fn definition_levels(buffer: &mut Vec<u8>, n: usize) {
    let mut run = Vec::with_capacity(11);
    let mut header = (n as u64) << 1;
    loop {
        let byte = (header & 0x7f) as u8;
        header >>= 7;
        if header == 0 {
            run.push(byte);
            break;
        }
        run.push(byte | 0x80);
    }
    run.push(1);
    buffer.extend_from_slice(&(run.len() as u32).to_le_bytes());
    buffer.extend_from_slice(&run);
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars_parquet::write::{Version, WriteOptions, compress};

    /// The file polars' own encoder makes of `columns` (its pages, its
    /// dictionary attempt): what [`write`] must match byte for byte.
    fn by_polars(columns: &[(String, TrialValues)], kv: Vec<(String, String)>) -> Vec<u8> {
        use polars_io::parquet::write::get_encodings;
        let df = super::super::trials::polars_frame(columns);
        let statistics = StatisticsOptions {
            distinct_count: false,
            ..StatisticsOptions::default()
        };
        let mut out = Vec::new();
        let mut writer = ParquetWriter::new(&mut out)
            .with_compression(ParquetCompression::Zstd(None))
            .with_statistics(statistics)
            .with_row_group_size(Some(ROW_GROUP))
            .with_key_value_metadata(Some(KeyValueMetadata::from_static(with_arrow_schema(
                df.schema(),
                kv,
            ))))
            .batched(df.schema())
            .unwrap();
        let options = WriteOptions {
            statistics,
            compression: ParquetCompression::Zstd(None).into(),
            version: Version::V1,
            data_page_size: None,
        };
        let encodings = get_encodings(&df.schema().to_arrow(CompatLevel::newest()));
        let types = writer.parquet_schema().fields().to_vec();
        for (offset, len) in ranges(df.height(), ROW_GROUP) {
            let group: Vec<Vec<CompressedPage>> = df
                .columns()
                .iter()
                .enumerate()
                .map(|(c, col)| {
                    let array = col
                        .as_materialized_series()
                        .slice(offset as i64, len)
                        .rechunk()
                        .to_arrow(0, CompatLevel::newest());
                    polars_parquet::write::array_to_columns(
                        array,
                        types[c].clone(),
                        options,
                        &encodings[c],
                    )
                    .unwrap()
                    .into_iter()
                    .flatten()
                    .map(|page| compress(page.unwrap(), Vec::new(), options.compression).unwrap())
                    .collect()
                })
                .collect();
            writer.write_row_group(len as u64, &group).unwrap();
        }
        writer.finish().unwrap();
        out
    }

    /// Distinct values (so that polars' dictionary attempt gives up, as it
    /// does on trials), a zero bound, both signs, and rows enough for two
    /// row groups and a short third.
    fn columns(rows: usize) -> Vec<(String, TrialValues)> {
        let x = |t: usize| ((t as f64) * 0.618_033_988_749_895).fract();
        vec![
            (
                "trial".into(),
                TrialValues::Index((0..rows as u64).collect()),
            ),
            (
                "revenue".into(),
                TrialValues::Number((0..rows).map(|t| 4.5e8 * (0.5 + x(t))).collect()),
            ),
            (
                "profit".into(),
                TrialValues::Number((0..rows).map(|t| 2e7 * (x(t) - 0.5)).collect()),
            ),
            (
                "hit_revenue".into(),
                TrialValues::Hit((0..rows).map(|t| x(t) > 0.4).collect()),
            ),
            (
                "segments.all.retention".into(),
                TrialValues::Number((0..rows).map(|t| 0.5 * x(t)).collect()),
            ),
        ]
    }

    #[test]
    fn pages_are_the_ones_polars_encodes() {
        let kv = vec![("seed".to_string(), "7".to_string())];
        // polars stores a small row group, or one of few distinct values,
        // with a dictionary where that pays (the files then differ, both
        // valid): these groups are large, of distinct values.
        let columns = columns(2 * ROW_GROUP + 10_000);
        let mut ours = Vec::new();
        write(&mut ours, &columns, kv.clone()).unwrap();
        let theirs = by_polars(&columns, kv);
        let at = ours.iter().zip(&theirs).position(|(a, b)| a != b);
        assert!(
            ours == theirs,
            "{} against {} bytes, first difference at {at:?}",
            ours.len(),
            theirs.len()
        );
    }

    #[test]
    fn definition_levels_are_one_run() {
        let mut b = Vec::new();
        definition_levels(&mut b, 300);
        // 300 << 1 = 600 as LEB128 (0xd8 0x04), then the value 1.
        assert_eq!(b, [3, 0, 0, 0, 0xd8, 0x04, 1]);
    }
}
