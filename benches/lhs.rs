//! How many trials Latin hypercube sampling needs against plain Monte Carlo
//! to reach a standard error of 0.001 on P(both), on the default scenario.
//!
//! `cargo bench --bench lhs`. Not a timing: each method runs 40 independent
//! seeds at 100,000 trials, the spread of P(both) across the seeds is its
//! real standard error at that size, and the trials needed for 0.001 follow
//! from it scaling as 1 / sqrt(n). (The within-run standard error of a
//! Latin hypercube comes from only 10 replicates, which is why the spread
//! across seeds is measured here.)

use kpisim::engine::{self, Config, Sampling};
use kpisim::model::Model;

const SEEDS: u64 = 40;
const TRIALS: u64 = 100_000;
const ASKED: f64 = 0.001;

fn spread(model: &Model, sampling: Sampling) -> (f64, f64) {
    let ps: Vec<f64> = (0..SEEDS)
        .map(|seed| {
            let cfg = Config {
                sampling,
                ..Config::new(TRIALS, 1000 + seed, 2)
            };
            let out = engine::run(model, &cfg).expect("run");
            out.hits[2] as f64 / out.trials as f64
        })
        .collect();
    let mean = ps.iter().sum::<f64>() / ps.len() as f64;
    let var = ps.iter().map(|p| (p - mean).powi(2)).sum::<f64>() / (ps.len() - 1) as f64;
    (mean, var.sqrt())
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/shandian-2016.toml");
    let loaded = kpisim::scenario::load(path.as_ref()).expect("default scenario");
    let model = Model::compile(&loaded.scenario);
    println!("P(both) of scenarios/shandian-2016.toml, {SEEDS} seeds x {TRIALS} trials per method");
    let mut needed = Vec::new();
    for (name, sampling) in [
        ("plain Monte Carlo", Sampling::MonteCarlo),
        ("Latin hypercube", Sampling::LatinHypercube),
    ] {
        let (mean, sd) = spread(&model, sampling);
        let n = (TRIALS as f64 * (sd / ASKED).powi(2)).ceil();
        needed.push(n);
        println!(
            "{name:18} P(both) {mean:.4}, standard error at {TRIALS} trials {sd:.5}: \
             {n:.0} trials for {ASKED}"
        );
    }
    println!(
        "Latin hypercube needs {:.2} times the trials of plain Monte Carlo",
        needed[1] / needed[0]
    );
}
