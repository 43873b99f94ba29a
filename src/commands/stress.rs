//! `kpisim stress`: the baseline and each stress case on common random
//! numbers. K cases cost K + 1 runs: every case is one engine run with the
//! same seed, and the paired comparison reads one byte of hit flags a trial.

use super::{emit, simulate_scenario};
use crate::aggregate::{CaseResult, Header, StressReport};
use crate::engine;
use crate::error::{Error, Result, Usage};
use crate::export::exporter;
use crate::options::StressOptions;
use crate::scenario::{self, Loaded};

/// Runs `kpisim stress`.
pub fn stress(opts: &StressOptions) -> Result<()> {
    let loaded = scenario::load(&opts.scenario)?;
    let cases = if opts.cases.is_empty() {
        loaded.cases.len()
    } else {
        opts.cases.len()
    };
    let runs = cases as u64 + 1;
    let report = stress_report(&loaded, &opts.cases, &super::engine_config(&opts.sim, runs))?;
    emit(&opts.out, &exporter(opts.out.format).stress(&report)?)
}

/// The baseline and the cases named in `names` (all when empty), run with
/// `cfg` on common random numbers.
pub fn stress_report(l: &Loaded, names: &[String], cfg: &engine::Config) -> Result<StressReport> {
    let all: Vec<&str> = l.scenario.stress.iter().map(|c| c.name.as_str()).collect();
    let chosen: Vec<usize> = if names.is_empty() {
        (0..all.len()).collect()
    } else {
        names
            .iter()
            .map(|n| {
                all.iter().position(|c| c == n).ok_or_else(|| {
                    Error::from(Usage::UnknownCase {
                        case: n.clone(),
                        file: l.file.clone(),
                        cases: all.iter().map(|c| c.to_string()).collect(),
                    })
                })
            })
            .collect::<Result<_>>()?
    };
    let cfg = engine::Config {
        keep_hits: true,
        ..cfg.clone()
    };
    let base = simulate_scenario(&l.scenario, l, &cfg)?;
    let base_hits = base.hits.unwrap_or_default();
    let mut cases = vec![CaseResult::new(
        "baseline",
        &base.summary,
        &base_hits,
        &base_hits,
    )];
    for i in chosen {
        let case = simulate_scenario(&l.cases[i], l, &cfg)?;
        let hits = case.hits.unwrap_or_default();
        cases.push(CaseResult::new(all[i], &case.summary, &base_hits, &hits));
    }
    Ok(StressReport {
        header: Header::new(l, cfg.trials, cfg.seed),
        targets: l.scenario.targets.into(),
        cases,
    })
}
