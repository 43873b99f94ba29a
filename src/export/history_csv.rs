//! The CSV of `fit` and `track`.
//! - fit: `kind,path,dist,mean,sd,noise_cv,months,from,to,month,metric,actual,p5,p25,p75,p95,inside`,
//!   one `input` row per fitted input, then one `holdout` row per held-out
//!   value; cells that do not apply are empty;
//! - track: `target,target_value,actual,probability,standard_error,plan_probability,plan_standard_error,needed_per_month,mean,sd,p5,p10,p25,p50,p75,p90,p95`,
//!   one row per target (the bands, of the year's total, empty for `both`).

use polars::prelude::*;

use super::Result;
use super::csv::{BAND_COLUMNS, finish};
use crate::aggregate::{FitReport, TrackReport};

/// `kpisim fit`.
pub fn fit(r: &FitReport) -> Result<String> {
    let mut kind: Vec<&str> = Vec::new();
    let mut path: Vec<Option<String>> = Vec::new();
    let mut dist: Vec<Option<&str>> = Vec::new();
    let mut nums: [Vec<Option<f64>>; 3] = Default::default();
    let mut months: Vec<Option<u32>> = Vec::new();
    let mut from: Vec<Option<String>> = Vec::new();
    let mut to: Vec<Option<String>> = Vec::new();
    let mut month: Vec<Option<String>> = Vec::new();
    let mut metric: Vec<Option<&str>> = Vec::new();
    let mut held: [Vec<Option<f64>>; 5] = Default::default();
    let mut inside: Vec<Option<bool>> = Vec::new();
    for i in &r.fit.inputs {
        kind.push("input");
        path.push(Some(i.path.clone()));
        dist.push(Some(i.dist.key()));
        for (col, v) in nums.iter_mut().zip([i.mean, i.sd, i.noise_cv]) {
            col.push(Some(v));
        }
        months.push(Some(i.months as u32));
        from.push(Some(i.from.clone()));
        to.push(Some(i.to.clone()));
        month.push(None);
        metric.push(None);
        held.iter_mut().for_each(|c| c.push(None));
        inside.push(None);
    }
    for v in r.holdout.iter().flat_map(|h| &h.values) {
        kind.push("holdout");
        path.push(None);
        dist.push(None);
        nums.iter_mut().for_each(|c| c.push(None));
        months.push(None);
        from.push(None);
        to.push(None);
        month.push(Some(v.month.clone()));
        metric.push(Some(v.metric));
        for (col, x) in held.iter_mut().zip([v.actual, v.p5, v.p25, v.p75, v.p95]) {
            col.push(Some(x));
        }
        inside.push(Some(v.in_90()));
    }
    let [mean, sd, noise_cv] = nums;
    let [actual, p5, p25, p75, p95] = held;
    finish(vec![
        Column::new("kind".into(), kind),
        Column::new("path".into(), path),
        Column::new("dist".into(), dist),
        Column::new("mean".into(), mean),
        Column::new("sd".into(), sd),
        Column::new("noise_cv".into(), noise_cv),
        Column::new("months".into(), months),
        Column::new("from".into(), from),
        Column::new("to".into(), to),
        Column::new("month".into(), month),
        Column::new("metric".into(), metric),
        Column::new("actual".into(), actual),
        Column::new("p5".into(), p5),
        Column::new("p25".into(), p25),
        Column::new("p75".into(), p75),
        Column::new("p95".into(), p95),
        Column::new("inside".into(), inside),
    ])
}

/// `kpisim track`.
pub fn track(r: &TrackReport) -> Result<String> {
    let (p, se, pp, pse) = (
        &r.probability,
        &r.standard_error,
        &r.plan_probability,
        &r.plan_standard_error,
    );
    let targets = ["revenue", "profit", "both"];
    let target_value = [Some(r.targets.revenue), Some(r.targets.profit), None];
    let actual = [Some(r.actual.revenue), Some(r.actual.profit), None];
    let needed = [r.needed.revenue_per_month, r.needed.profit_per_month, None];
    let bands = [Some(&r.annual.revenue), Some(&r.annual.profit), None];
    let mut columns = vec![
        Column::new("target".into(), targets.to_vec()),
        Column::new("target_value".into(), target_value.to_vec()),
        Column::new("actual".into(), actual.to_vec()),
        Column::new("probability".into(), p.values().to_vec()),
        Column::new("standard_error".into(), se.values().to_vec()),
        Column::new("plan_probability".into(), pp.values().to_vec()),
        Column::new("plan_standard_error".into(), pse.values().to_vec()),
        Column::new("needed_per_month".into(), needed.to_vec()),
    ];
    for (j, name) in BAND_COLUMNS.iter().enumerate() {
        let col: Vec<Option<f64>> = bands
            .iter()
            .map(|b| {
                b.map(|b| {
                    let p = b.percentiles();
                    [b.mean, b.sd, p[0], p[1], p[2], p[3], p[4], p[5], p[6]][j]
                })
            })
            .collect();
        columns.push(Column::new((*name).into(), col));
    }
    finish(columns)
}
