//! The bare kernel as a command, for whole-command timings beside
//! `kpisim run` (benches/cli.sh): load a scenario, run its draws and
//! twelve-month recursion for N trials on one thread, no aggregation, and
//! print the mean annual revenue (so that nothing is optimised away).
//!
//! `cargo run --release --example kernel -- scenarios/shandian-2016.toml 1000000`

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "scenarios/shandian-2016.toml".into());
    let trials: u64 = args
        .next()
        .map_or(1_000_000, |n| n.parse().expect("trials"));
    let loaded = match kpisim::scenario::load(path.as_ref()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let model = kpisim::model::Model::compile(&loaded.scenario);
    let total = kpisim::engine::bare_kernel(&model, 7, trials);
    println!("{}", total / trials as f64);
}
