//! `kpisim kpis`: the department KPI sheet.

use super::emit;
use crate::aggregate::{Header, KpiReport};
use crate::engine;
use crate::error::Result;
use crate::export::exporter;
use crate::model::Model;
use crate::options::KpisOptions;
use crate::scenario::{self, Loaded};

/// Runs `kpisim kpis`.
pub fn kpis(opts: &KpisOptions) -> Result<()> {
    let loaded = scenario::load(&opts.scenario)?;
    let report = kpi_report(
        &loaded,
        opts.confidence,
        &super::engine_config(&opts.sim, 1),
    )?;
    emit(&opts.out, &exporter(opts.out.format).kpis(&report)?)
}

/// The KPI sheet of `l`, simulated with `cfg`.
pub fn kpi_report(l: &Loaded, confidence: Option<f64>, cfg: &engine::Config) -> Result<KpiReport> {
    let model = Model::compile(&l.scenario).with_arpu_series();
    let output = engine::run(&model, cfg)?;
    let header = Header::new(l, output.trials, cfg.seed);
    Ok(KpiReport::build(
        header,
        &model,
        &output,
        l.scenario.labels(),
        confidence,
    ))
}
