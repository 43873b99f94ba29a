//! Stress cases on common random numbers: the baseline and each case, K
//! cases in K + 1 runs, every run with the same seed, the paired comparison
//! reading one byte of hit flags a trial.

use super::{AnalysisError, Result, Sim, simulate_scenario};
use crate::aggregate::{CaseResult, StressReport};
use crate::scenario::Loaded;

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
                all.iter()
                    .position(|c| c == n)
                    .ok_or_else(|| AnalysisError::UnknownCase {
                        case: n.clone(),
                        file: l.file.clone(),
                        cases: all.iter().map(|c| c.to_string()).collect(),
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
