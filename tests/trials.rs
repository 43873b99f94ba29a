//! `--trials-out`: the Parquet file says where it came from (the run's
//! header in its key-value metadata and in its Arrow schema's, which
//! pyarrow shows), and `--trials-monthly` adds each month's revenue and
//! profit, which add up to the year's.

use polars_core::prelude::*;
use polars_io::prelude::*;

use crate::util::{Dir, default_scenario};

fn read(dir: &Dir, name: &str) -> (DataFrame, Vec<(String, String)>) {
    let mut reader = ParquetReader::new(std::fs::File::open(dir.path(name)).unwrap());
    let kv = reader
        .get_metadata()
        .unwrap()
        .key_value_metadata()
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|kv| (kv.key, kv.value.unwrap_or_default()))
        .collect();
    (reader.finish().unwrap(), kv)
}

#[test]
fn the_trials_file_carries_the_runs_provenance() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    let json = dir
        .run(&[
            "run",
            "s.toml",
            "-n",
            "3000",
            "--seed",
            "12",
            "--sampling",
            "lhs",
            "-f",
            "json",
            "--trials-out",
            "t.parquet",
        ])
        .json();
    let (df, kv) = read(&dir, "t.parquet");
    assert_eq!(df.height(), 3000);
    let get = |k: &str| {
        kv.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no {k} in {kv:?}"))
    };
    for key in ["kpisim", "scenario", "file", "scenario_sha256", "sampling"] {
        assert_eq!(get(key), json[key].as_str().unwrap(), "{key}");
    }
    for key in ["seed", "trials"] {
        assert_eq!(get(key), json[key].to_string(), "{key}");
    }
    // The Arrow schema pyarrow reads carries the same: it is the IPC schema
    // message, base64, in which the values appear verbatim.
    use base64::Engine;
    let schema = base64::engine::general_purpose::STANDARD
        .decode(get("ARROW:schema"))
        .unwrap();
    let text = String::from_utf8_lossy(&schema);
    for key in ["scenario_sha256", "sampling"] {
        assert!(
            text.contains(json[key].as_str().unwrap()),
            "the Arrow schema lacks {key}"
        );
    }
}

#[test]
fn monthly_columns_add_up_to_the_year() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    dir.run(&[
        "run",
        "s.toml",
        "-n",
        "2000",
        "-f",
        "json",
        "--trials-out",
        "t.parquet",
        "--trials-monthly",
    ])
    .ok();
    let (df, _) = read(&dir, "t.parquet");
    let col = |name: &str| -> Vec<f64> {
        df.column(name)
            .unwrap_or_else(|_| panic!("no column {name}"))
            .f64()
            .unwrap()
            .into_no_null_iter()
            .collect()
    };
    for what in ["revenue", "profit"] {
        let year = col(what);
        let mut sum = vec![0.0; year.len()];
        for m in 1..=12 {
            for (s, v) in sum.iter_mut().zip(col(&format!("{what}_m{m:02}"))) {
                *s += v;
            }
        }
        for (t, (s, y)) in sum.iter().zip(&year).enumerate() {
            assert!(
                (s - y).abs() <= 1e-9 * y.abs().max(1.0),
                "{what} of trial {t}: months {s}, year {y}"
            );
        }
    }
    assert!(df.column("revenue_m13").is_err());

    dir.run(&[
        "run",
        "s.toml",
        "-n",
        "2000",
        "-f",
        "json",
        "--trials-out",
        "plain.parquet",
    ])
    .ok();
    let (plain, _) = read(&dir, "plain.parquet");
    assert!(
        plain.column("revenue_m01").is_err(),
        "monthly columns without --trials-monthly"
    );
    dir.run(&["run", "s.toml", "-n", "2000", "--trials-monthly"])
        .code(2)
        .stderr_has(&["--trials-out"]);
}

/// A file of several row groups (kpisim encodes them in parallel): the
/// Parquet file holds exactly the CSV file's values, every row group in
/// order, and the same bytes for one thread and two.
#[test]
fn a_parquet_file_of_several_row_groups_is_the_csv_file() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    let trials = "600000";
    for (threads, name) in [("2", "t2.parquet"), ("1", "t1.parquet"), ("2", "t.csv")] {
        dir.run(&[
            "run",
            "s.toml",
            "-n",
            trials,
            "--threads",
            threads,
            "-f",
            "json",
            "--trials-out",
            name,
        ])
        .ok();
    }
    let bytes = |name: &str| std::fs::read(dir.path(name)).unwrap();
    assert!(
        bytes("t1.parquet") == bytes("t2.parquet"),
        "the threads changed the file"
    );
    let mut reader = ParquetReader::new(std::fs::File::open(dir.path("t2.parquet")).unwrap());
    assert_eq!(reader.get_metadata().unwrap().row_groups.len(), 3);
    let parquet = reader.finish().unwrap();
    let csv = CsvReadOptions::default()
        .try_into_reader_with_file_path(Some(dir.path("t.csv")))
        .unwrap()
        .finish()
        .unwrap();
    assert_eq!(parquet.height(), 600_000);
    assert_eq!(parquet.get_column_names(), csv.get_column_names());
    for name in parquet.get_column_names() {
        let as_f64 = |df: &DataFrame| -> Vec<f64> {
            df.column(name.as_str())
                .unwrap()
                .cast(&DataType::Float64)
                .unwrap()
                .f64()
                .unwrap()
                .into_no_null_iter()
                .collect()
        };
        assert!(as_f64(&parquet) == as_f64(&csv), "column {name} differs");
    }
}
