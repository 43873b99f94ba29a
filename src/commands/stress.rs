//! `kpisim stress`: the baseline and each stress case on common random
//! numbers. K cases cost K + 1 runs: every case is one engine run with the
//! same seed, and the paired comparison reads one byte of hit flags a trial.

use super::simulate::Sim;
use super::{emit, note_precision, simulate_scenario};
use crate::aggregate::{CaseResult, StressReport};
use crate::error::{Error, Result, Usage};
use crate::export::exporter;
use crate::options::StressOptions;
use crate::scenario::Loaded;

/// Runs `kpisim stress`.
pub fn stress(opts: &StressOptions) -> Result<()> {
    let loaded = super::load(&opts.scenario)?;
    let cases = if opts.cases.is_empty() {
        loaded.cases.len()
    } else {
        opts.cases.len()
    };
    let runs = cases as u64 + 1;
    let report = stress_report(&loaded, &opts.cases, Sim::from_options(&opts.sim, runs))?;
    note_precision(&report.header);
    emit(&opts.out, &exporter(opts.out.format).stress(&report)?)
}

/// The baseline and the cases named in `names` (all when empty), run as
/// `sim` says on common random numbers. With `--precision`, the baseline
/// decides the trials and every case runs as many.
pub fn stress_report(l: &Loaded, names: &[String], sim: impl Into<Sim>) -> Result<StressReport> {
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
    let mut sim: Sim = sim.into();
    sim.cfg.keep_hits = true;
    let base = simulate_scenario(&l.scenario, l, &sim)?;
    let header = base.summary.header.clone();
    let replicates = base.output.replicate_sizes();
    let sim = sim.with_trials(header.trials);
    let base_hits = base.hits.unwrap_or_default();
    let mut cases = vec![CaseResult::new(
        "baseline",
        &base.summary,
        &base_hits,
        &base_hits,
        replicates.as_deref(),
    )];
    for i in chosen {
        let case = simulate_scenario(&l.cases[i], l, &sim)?;
        let hits = case.hits.unwrap_or_default();
        cases.push(CaseResult::new(
            all[i],
            &case.summary,
            &base_hits,
            &hits,
            replicates.as_deref(),
        ));
    }
    Ok(StressReport {
        header,
        targets: l.scenario.targets.into(),
        cases,
    })
}
