//! `kpisim fit`: a plan's uncertain inputs and starting payers from last
//! year's months, written as a scenario `run` accepts; with `--holdout K`,
//! the coverage backtest on the last K months.

use super::simulate::{Sim, simulate_model};
use crate::aggregate::{FitReport, Holdout, Origin};
use crate::error::{Error, Result, Usage};
use crate::export::exporter;
use crate::history::fitted::{Fit, fit as fit_history};
use crate::history::{self, History, MIN_ROWS};
use crate::model::Model;
use crate::options::FitOptions;
use crate::output::Outputs;
use crate::scenario::{self, Loaded};

/// Runs `kpisim fit`. The fitted scenario and the report are staged and
/// committed together.
pub fn fit(opts: &FitOptions) -> Result<()> {
    let plan = super::load(&opts.plan)?;
    let h = history::read(&opts.history, &segment_names(&plan))?;
    let output = opts.fitted.path().display().to_string();
    let holdout = match opts.holdout {
        Some(k) => Some(backtest(&plan, &h, k, &Sim::from_options(&opts.sim, 1))?),
        None => None,
    };
    let fit = fit_history(&h)?;
    let (text, _) = fitted_file(&fit, &plan, &h.file, &output)?;
    let report = FitReport::new(
        &Origin::of(&plan, &plan.scenario.name),
        &h.file,
        &output,
        fit,
        holdout,
    );
    let mut outputs = Outputs::new();
    outputs.stage_text(Some(&opts.fitted), &text)?;
    outputs.stage_bytes(None, &exporter(opts.out.format).fit(&report)?)?;
    Ok(outputs.commit()?)
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
fn backtest(plan: &Loaded, h: &History, k: u64, sim: &Sim) -> Result<Holdout> {
    let n = h.len();
    if k as usize >= n || n - (k as usize) < MIN_ROWS {
        return Err(Error::from(Usage::Holdout {
            holdout: k,
            file: h.file.clone(),
            rows: n,
            min: MIN_ROWS,
        }));
    }
    let cut = n - k as usize;
    let (train, test) = (h.head(cut), h.slice(cut, n));
    let f = fit_history(&train)?;
    let (_, fitted) = fitted_file(&f, plan, &h.file, &plan.file)?;
    let before: Vec<f64> = train.segments.iter().map(|s| s.payers[cut - 1]).collect();
    let s = fitted
        .scenario
        .over(Some(test.months[0]), test.spend.clone(), &before);
    let run = simulate_model(&Model::compile(&s), &s, plan, sim)?;
    Ok(Holdout::build(&run.summary, &test, &train))
}
