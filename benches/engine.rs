//! Criterion benchmarks of the engine's kernels on the default scenario.
//!
//! `cargo bench --bench engine`. Whole commands (process start, parsing,
//! output) are timed by `benches/cli.sh`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kpisim::aggregate::LogHistogram;
use kpisim::engine;
use kpisim::model::{Model, RngSource, Scratch};
use kpisim::streams::stream;

fn default_model() -> Model {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/shandian-2016.toml");
    let loaded = kpisim::scenario::load(path.as_ref()).expect("default scenario");
    Model::compile(&loaded.scenario)
}

/// One trial: draw the inputs, run 12 months, sum the year.
fn trial(c: &mut Criterion) {
    let model = default_model();
    let mut scratch = Scratch::new(&model);
    let mut out = vec![0.0; model.series()];
    let mut t = 0u64;
    let mut g = c.benchmark_group("kernel");
    g.throughput(Throughput::Elements(1));
    g.bench_function("one_trial", |b| {
        b.iter(|| {
            black_box({
                t += 1;
                model.run_trial(
                    &mut RngSource::new(kpisim::streams::trial_key(7, t)),
                    &mut scratch,
                    &mut out,
                    1,
                )
            })
        })
    });
    g.finish();
}

/// Inserting a block of 64 values into a histogram.
fn histogram(c: &mut Criterion) {
    let mut rng = stream(7, 1);
    let values: Vec<f64> = (0..64)
        .map(|_| {
            use rand_distr::Distribution;
            rand_distr::LogNormal::new(17.5, 0.2)
                .unwrap()
                .sample(&mut rng)
        })
        .collect();
    let mut h = LogHistogram::new();
    let mut g = c.benchmark_group("histogram");
    g.throughput(Throughput::Elements(values.len() as u64));
    g.bench_function("insert_block_of_64", |b| {
        b.iter(|| h.insert_all(black_box(&values)))
    });
    g.finish();
}

/// Whole engine runs with all monthly bands, on 1 and 2 threads.
fn run(c: &mut Criterion) {
    let model = default_model();
    let mut g = c.benchmark_group("engine");
    g.sample_size(10);
    let trials = 200_000u64;
    g.throughput(Throughput::Elements(trials));
    for threads in [1usize, 2] {
        let cfg = engine::Config::new(trials, 7, threads);
        g.bench_with_input(
            BenchmarkId::new("run_200k_trials", threads),
            &cfg,
            |b, cfg| b.iter(|| black_box(engine::run(&model, cfg).expect("run"))),
        );
    }
    g.finish();
}

criterion_group!(benches, trial, histogram, run);
criterion_main!(benches);
