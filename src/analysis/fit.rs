//! Fitting a plan to last year's months: its uncertain inputs and starting
//! payers estimated from the history (`history::fitted`), written as a
//! scenario `run` accepts; with a holdout, the coverage backtest on the
//! last months.

use std::path::Path;

use super::{AnalysisError, Result, Sim, simulate_model};
use crate::aggregate::{FitReport, Holdout, Origin};
use crate::history::fitted::{Fit, FitChoices, fit as fit_history};
use crate::history::{self, History, MIN_ROWS, Segments};
use crate::model::Model;
use crate::scenario::{self, Loaded};

/// A fit: the report, and the fitted scenario's text.
#[derive(Debug)]
pub struct Fitted {
    /// What was estimated from which months, and the backtest.
    pub report: FitReport,
    /// The fitted scenario as TOML, checked to load as `run` loads it.
    pub text: String,
}

/// Fits `plan` to the history at `history` as `choices` say; `output`
/// names the fitted file in the report. With `holdout` K, also backtests
/// the same choices on the last K months, simulated as `sim` says.
pub fn fit(
    plan: &Loaded,
    history: &Path,
    output: &str,
    choices: FitChoices,
    holdout: Option<u64>,
    sim: &Sim,
) -> Result<Fitted> {
    let h = history::read(history, &segment_names(plan), Segments::Required)?;
    let holdout = match holdout {
        Some(k) => Some(backtest(plan, &h, k, choices, sim)?),
        None => None,
    };
    let fit = fit_history(&h, &plan.scenario)?.chosen(plan, choices);
    let (text, _) = fitted_file(&fit, plan, &h.file, output)?;
    let report = FitReport::new(
        &Origin::of(plan, &plan.scenario.name),
        &h.file,
        output,
        fit,
        holdout,
    );
    Ok(Fitted { report, text })
}

/// The names of the plan's segments, in order.
pub(crate) fn segment_names(l: &Loaded) -> Vec<String> {
    l.scenario.segments.iter().map(|s| s.name.clone()).collect()
}

/// The text of the fitted scenario and the scenario it loads as, through
/// the loader `run` uses: a fit that would not run is refused here, naming
/// the field, rather than written.
fn fitted_file(fit: &Fit, plan: &Loaded, history: &str, output: &str) -> Result<(String, Loaded)> {
    let table = fit.apply(plan, history);
    let body = scenario::write::to_toml(&table);
    let text = format!("{}\n{body}", fit.comment(&plan.file, history));
    let loaded = scenario::from_bytes(output, text.as_bytes())?;
    Ok((text, loaded))
}

/// Fits on all but the last `k` months of `h` and simulates those months
/// from the payers before them, on their actual spend.
fn backtest(plan: &Loaded, h: &History, k: u64, choices: FitChoices, sim: &Sim) -> Result<Holdout> {
    let n = h.len();
    if k == 0 || k as usize >= n || n - (k as usize) < MIN_ROWS {
        return Err(AnalysisError::Holdout {
            holdout: k,
            file: h.file.clone(),
            rows: n,
            min: MIN_ROWS,
        });
    }
    let cut = n - k as usize;
    let (train, test) = (h.head(cut), h.slice(cut, n));
    let f = fit_history(&train, &plan.scenario)?.chosen(plan, choices);
    let (_, fitted) = fitted_file(&f, plan, &h.file, &plan.file)?;
    let before: Vec<f64> = train.segments.iter().map(|s| s.payers[cut - 1]).collect();
    let s = fitted
        .scenario
        .over(Some(test.months[0]), test.spend.clone(), &before);
    let run = simulate_model(&Model::compile(&s), &s, plan, sim)?;
    Ok(Holdout::build(&run.summary, &test, &train))
}
