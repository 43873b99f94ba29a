//! What the years that miss a target share: one run keeping every trial's
//! inputs (the trials `--trials-out` writes for the same options), then
//! the shifts and PRIM's box of aggregate::explain.

use super::{Result, Sim, simulate_model};
use crate::aggregate::{Ask, ExplainReport, Header, TrialTable, Trials};
use crate::distr::Dist;
use crate::model::{Model, Target};
use crate::scenario::{Loaded, Scenario};

/// The explanation of `l`'s misses of `target`, simulated as `sim` says.
pub fn explain_report(
    l: &Loaded,
    sim: impl Into<Sim>,
    target: Target,
    ask: Ask,
) -> Result<ExplainReport> {
    let mut sim: Sim = sim.into();
    sim.cfg.keep_trials = true;
    let model = Model::compile(&l.scenario);
    let run = simulate_model(&model, &l.scenario, l, &sim)?;
    // The run's own per-trial figures are not needed to peel: let them go
    // before the peels' buffers are taken.
    drop(run.output);
    let table = run.table.expect("kept every trial");
    Ok(explain_table(
        run.summary.header,
        &l.scenario,
        &table,
        target,
        ask,
    ))
}

/// The explanation of the misses of `target` among `table`'s trials, a run
/// of `scenario`: its inputs that are not fixed, in the table's order.
pub fn explain_table(
    header: Header,
    scenario: &Scenario,
    table: &TrialTable,
    target: Target,
    ask: Ask,
) -> ExplainReport {
    let bit = target.bit();
    let trials = Trials {
        inputs: table
            .levels
            .iter()
            .filter_map(|(path, values)| {
                let input = scenario.input(path)?;
                (!matches!(input.dist, Dist::Fixed(_))).then_some((
                    path.as_str(),
                    input.kind,
                    values.as_slice(),
                ))
            })
            .collect(),
        miss: table.hits.iter().map(|h| h & bit == 0).collect(),
    };
    ExplainReport::new(header, target.key(), &trials, ask)
}
