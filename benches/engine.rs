//! Criterion benchmarks of the engine on the default scenario, side by side
//! with the bare kernel it is measured against: the draws and the
//! twelve-month recursion, no aggregation.
//!
//! `cargo bench --bench engine`. Whole commands (process start, parsing,
//! output) are timed by `benches/cli.sh`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kpisim::distr::{Beta, LogNormal, Metalog};
use kpisim::engine;
use kpisim::model::Model;
use kpisim::stats::{LogHistogram, exact_quantiles};
use kpisim::streams::stream;

fn default_model() -> Model {
    load_model("scenarios/shandian-2016.toml")
}

/// The model of the scenario at `path` under the crate's root.
fn load_model(path: &str) -> Model {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let loaded = kpisim::scenario::load(&path).expect("scenario");
    Model::compile(&loaded.scenario)
}

/// Trials a kernel or engine iteration runs.
const TRIALS: u64 = 200_000;

/// The bare kernel on one thread, and the engine (all bands, exact annual
/// percentiles) on one and two threads, over the same trials.
fn kernel_and_engine(c: &mut Criterion) {
    let model = default_model();
    let mut g = c.benchmark_group("default_scenario_200k");
    g.sample_size(10);
    g.throughput(Throughput::Elements(TRIALS));
    g.bench_function("bare_kernel_1_thread", |b| {
        b.iter(|| black_box(engine::bare_kernel(&model, 7, TRIALS)))
    });
    for threads in [1usize, 2] {
        let cfg = engine::Config::new(TRIALS, 7, threads);
        g.bench_with_input(BenchmarkId::new("engine", threads), &cfg, |b, cfg| {
            b.iter(|| {
                let out = engine::run(&model, cfg).expect("run");
                // The summary's exact percentiles are part of a run's cost.
                black_box(out.revenue.quantiles(&[0.05, 0.5, 0.95]))
            })
        });
    }
    g.finish();
    // The model's additions (a drawn spend elasticity, a cost per payer, a
    // bounded metalog ARPU) beside the default plan, one thread each: the
    // CPU a run's engine spends, with less of the noise of whole commands.
    let mut g = c.benchmark_group("additions_200k");
    g.sample_size(20);
    g.throughput(Throughput::Elements(TRIALS));
    let cfg = engine::Config::new(TRIALS, 7, 1);
    for (name, m) in [
        ("default", model),
        (
            "additions",
            load_model("benches/shandian-2016-additions.toml"),
        ),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let out = engine::run(&m, &cfg).expect("run");
                black_box(out.revenue.quantiles(&[0.05, 0.5, 0.95]))
            })
        });
    }
    g.finish();
}

/// What correlated inputs and Latin hypercube sampling add to a run: the
/// big-R scenario plain, with its retention and ARPU correlated, and by
/// Latin hypercube (strata, quantile tables and all), 200,000 trials on two
/// threads.
fn sampling(c: &mut Criterion) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/shandian-2016-bigr.toml"
    );
    let text = std::fs::read_to_string(path).expect("big-R scenario");
    let base = &text[..text.find("[[stress]]").expect("stress cases")];
    let correlated = format!(
        "{base}\n[[correlations]]\nbetween = [\"segments.big_r.retention\", \"segments.big_r.arpu\"]\nrank = 0.6\n"
    );
    let plain = Model::compile(&kpisim::scenario::parse("b.toml", base.as_bytes()).unwrap());
    let copula = Model::compile(&kpisim::scenario::parse("c.toml", correlated.as_bytes()).unwrap());
    let mut g = c.benchmark_group("sampling_bigr_200k");
    g.sample_size(10);
    g.throughput(Throughput::Elements(TRIALS));
    let mc = engine::Config::new(TRIALS, 7, 2);
    let lhs = engine::Config {
        sampling: engine::Sampling::LatinHypercube,
        ..mc.clone()
    };
    for (name, model, cfg) in [
        ("monte_carlo", &plain, &mc),
        ("correlated", &copula, &mc),
        ("latin_hypercube", &plain, &lhs),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| black_box(engine::run(model, cfg).expect("run").hits))
        });
    }
    g.finish();
}

/// Draws a sampler makes in one iteration of `draws`.
const DRAWS: u64 = 64_000;

/// One family's sampler, one draw at a time from one stream: the lognormal
/// and beta the scenarios use most, and metalogs of 3 terms (unbounded,
/// bounded below) and 5 terms (bounded on both sides).
fn draws(c: &mut Criterion) {
    let arpu = [(0.1, 650.0), (0.5, 800.0), (0.9, 1000.0)];
    let rate = [
        (0.05, 0.01),
        (0.25, 0.015),
        (0.5, 0.02),
        (0.75, 0.03),
        (0.95, 0.06),
    ];
    let lognormal = LogNormal::from_mean_sd(6.0, 0.9).unwrap();
    let beta = Beta::from_mean_sd(0.02, 0.003).unwrap();
    let metalog3 = Metalog::new(&arpu, None, None).unwrap();
    let metalog3_lower = Metalog::new(&arpu, Some(0.0), None).unwrap();
    let metalog5_bounded = Metalog::new(&rate, Some(0.0), Some(0.2)).unwrap();
    let mut g = c.benchmark_group("draws");
    g.throughput(Throughput::Elements(DRAWS));
    let mut rng = stream(7, 3);
    macro_rules! bench {
        ($name:expr, $d:expr) => {
            g.bench_function($name, |b| {
                b.iter(|| black_box((0..DRAWS).map(|_| $d.sample(&mut rng)).sum::<f64>()))
            });
        };
    }
    bench!("lognormal", lognormal);
    bench!("beta", beta);
    bench!("metalog_3_terms", metalog3);
    bench!("metalog_3_terms_lower", metalog3_lower);
    bench!("metalog_5_terms_bounded", metalog5_bounded);
    // As the engine draws a metalog: each trial's U from its stream, then Q
    // over the block of 64 at once.
    let mut block = [0.0; 64];
    for (name, d) in [
        ("metalog_3_terms_lower_by_block", &metalog3_lower),
        ("metalog_5_terms_bounded_by_block", &metalog5_bounded),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut sum = 0.0;
                for _ in 0..DRAWS / 64 {
                    block
                        .iter_mut()
                        .for_each(|u| *u = Metalog::uniform(&mut rng));
                    d.fill(&mut block);
                    sum += block.iter().sum::<f64>();
                }
                black_box(sum)
            })
        });
    }
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
    // A month's profit near break-even: a third of the trials below 0.
    let profit: Vec<f64> = values.iter().map(|v| v - 3.3e7).collect();
    let mut h = LogHistogram::new();
    g.bench_function("insert_block_of_64_both_signs", |b| {
        b.iter(|| h.insert_all(black_box(&profit)))
    });
    // A run's real pattern: a block of 64 trials into each of 72 series
    // (the model's additions record six metrics a month), whose
    // histograms together outgrow L1.
    const SERIES: usize = 72;
    const BLOCKS: usize = 16;
    let blocks: Vec<Vec<f64>> = (0..BLOCKS)
        .map(|_| {
            (0..SERIES * 64)
                .map(|i| {
                    use rand_distr::Distribution;
                    let mu = 10.0 + (i / 64) as f64 * 0.1;
                    rand_distr::LogNormal::new(mu, 0.15)
                        .unwrap()
                        .sample(&mut rng)
                })
                .collect()
        })
        .collect();
    let mut hs = vec![LogHistogram::new(); SERIES];
    let mut next = 0;
    g.throughput(Throughput::Elements((SERIES * 64) as u64));
    g.bench_function("insert_block_of_64_into_72_series", |b| {
        b.iter(|| {
            let block = &blocks[next % BLOCKS];
            next += 1;
            for (h, values) in hs.iter_mut().zip(block.chunks_exact(64)) {
                h.insert_all(black_box(values));
            }
        })
    });
    g.finish();
}

/// Exact quantiles of a million f32 values by radix selection.
fn quantiles(c: &mut Criterion) {
    let mut rng = stream(7, 2);
    let values: Vec<f32> = (0..1_000_000)
        .map(|_| {
            use rand_distr::Distribution;
            rand_distr::StandardNormal.sample(&mut rng)
        })
        .map(|x: f64| x as f32)
        .collect();
    let mut g = c.benchmark_group("quantiles");
    g.sample_size(20);
    g.throughput(Throughput::Elements(values.len() as u64));
    g.bench_function("seven_of_1m", |b| {
        b.iter(|| {
            black_box(exact_quantiles(
                black_box(&values),
                &[0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95],
            ))
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    kernel_and_engine,
    sampling,
    draws,
    histogram,
    quantiles
);
criterion_main!(benches);
