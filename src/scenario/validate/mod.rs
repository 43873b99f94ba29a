//! Semantic rules of the scenario file (docs/scenario.md), checked once
//! before any simulation on a file whose structure is already known to be
//! right ([`super::schema`]). Every problem found is collected, with the
//! path of the field and the value, so that one run reports them all.
//!
//! Besides the rules of the format, every number is bounded in size so
//! that the model stays within finite numbers: amounts per month at most
//! [`MAX_AMOUNT`], payers at most [`MAX_PAYERS`], and each uncertain input's
//! plausible draws within bounds (docs/scenario.md, "How far an input may
//! reach").

mod correlations;
mod input;
mod slips;

pub use correlations::normal_score_correlation;
pub(crate) use slips::slips;
pub use slips::{NOISE_CV_SLIP, SCALE_SLIP};

use super::raw::{RawScenario, RawSchedule, RawShock};
use super::spans::FieldPath;
use super::{Scenario, ScenarioErrorKind as Rule, Segment, Shock, StressCase, Targets, YearMonth};
use crate::present::num;
pub use input::{MAX_ARPU, MIN_COST_PER_REGISTRATION};

/// Longest horizon, in months.
pub const MAX_MONTHS: i64 = 120;

/// How far the segments' `share_of_new` may sum away from 1.
pub const SHARE_SUM_TOLERANCE: f64 = 1e-6;

/// Largest amount of money a month's budget, staff or infra cost may be:
/// a quadrillion CNY, far beyond any plan and far inside finite numbers.
pub const MAX_AMOUNT: f64 = 1e15;

/// Most payers a segment may start with.
pub const MAX_PAYERS: f64 = 1e12;

/// A rule broken at a path, before file and position are attached.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The field.
    pub path: FieldPath,
    /// The value as written, if any.
    pub value: Option<String>,
    /// The rule.
    pub kind: Rule,
}

/// Collects problems; the checks shared by every section.
#[derive(Default)]
pub(super) struct Checker {
    problems: Vec<Problem>,
    /// False when `months` itself is invalid: lengths are then not checked
    /// against it, which would only repeat that one mistake.
    check_lengths: bool,
}

impl Checker {
    fn fail(&mut self, path: &FieldPath, value: Option<String>, kind: Rule) {
        self.problems.push(Problem {
            path: path.clone(),
            value,
            kind,
        });
    }

    /// A finite number, else a problem; returns whether it was fine.
    fn finite(&mut self, path: &FieldPath, v: f64) -> bool {
        if v.is_finite() {
            return true;
        }
        self.fail(path, Some(num(v)), Rule::NotFinite);
        false
    }

    /// A fraction from 0 to 1, else a problem; returns whether it was fine.
    fn in_unit(&mut self, path: &FieldPath, v: f64) -> bool {
        if !self.finite(path, v) {
            return false;
        }
        if !(0.0..=1.0).contains(&v) {
            let meant = super::error::percent_slip(v);
            self.fail(path, Some(num(v)), Rule::OutsideUnit { meant });
            return false;
        }
        true
    }

    /// A finite number from 0 to `limit`.
    fn amount(&mut self, path: &FieldPath, v: f64, limit: f64, what: &'static str) {
        if !self.finite(path, v) {
        } else if v < 0.0 {
            self.fail(path, Some(num(v)), Rule::Negative);
        } else if v > limit {
            self.fail(path, Some(num(v)), Rule::TooBig { limit, what });
        }
    }

    fn schedule(&mut self, path: &FieldPath, s: &RawSchedule, months: usize) -> Vec<f64> {
        const WHAT: &str = "CNY a month";
        match s {
            RawSchedule::Flat(v) => {
                self.amount(path, *v, MAX_AMOUNT, WHAT);
                vec![*v; months]
            }
            RawSchedule::Months(vs) => {
                if self.check_lengths && vs.len() != months {
                    self.fail(
                        path,
                        Some(format!("[{} numbers]", vs.len())),
                        Rule::ScheduleLength { months },
                    );
                }
                for (i, v) in vs.iter().enumerate() {
                    self.amount(&path.index(i), *v, MAX_AMOUNT, WHAT);
                }
                let mut out = vs.clone();
                out.resize(months, 0.0);
                out
            }
        }
    }
}

/// Checks every rule and builds the validated scenario, or returns every
/// problem found.
pub fn validate(raw: &RawScenario) -> Result<Scenario, Vec<Problem>> {
    let mut c = Checker::default();
    let root = FieldPath::default();
    let months_ok = (1..=MAX_MONTHS).contains(&raw.months);
    c.check_lengths = months_ok;

    if raw.name.trim().is_empty() {
        c.fail(
            &root.key("name"),
            Some(format!("{:?}", raw.name)),
            Rule::Empty,
        );
    }
    if !months_ok {
        c.fail(
            &root.key("months"),
            Some(raw.months.to_string()),
            Rule::MonthsOutOfRange { max: MAX_MONTHS },
        );
    }
    // Lengths are checked against a horizon of 1 when `months` is invalid, so
    // the rest of the file is still checked.
    let months = if months_ok { raw.months as usize } else { 1 };

    let start = raw.start.as_ref().and_then(|s| {
        let parsed = YearMonth::parse(s);
        if parsed.is_none() {
            c.fail(&root.key("start"), Some(format!("{s:?}")), Rule::BadStart);
        }
        parsed
    });

    let t = root.key("targets");
    c.finite(&t.key("revenue"), raw.targets.revenue);
    c.finite(&t.key("profit"), raw.targets.profit);

    let costs = root.key("costs");
    let shares_ok = c.in_unit(&costs.key("creator_share"), raw.costs.creator_share)
        & c.in_unit(&costs.key("operations_rate"), raw.costs.operations_rate);
    // Only two valid shares can break their sum: a share of 60 is its own
    // mistake, not the other's.
    if shares_ok && raw.costs.creator_share + raw.costs.operations_rate > 1.0 {
        c.fail(
            &costs.key("operations_rate"),
            Some(num(raw.costs.operations_rate)),
            Rule::MarginNegative,
        );
    }
    let staff = c.schedule(&costs.key("staff"), &raw.costs.staff, months);
    let infra = c.schedule(&costs.key("infra"), &raw.costs.infra, months);
    let per_payer = match &raw.costs.per_payer {
        Some(p) => c.schedule(&costs.key("per_payer"), p, months),
        None => vec![0.0; months],
    };
    let budget = c.schedule(
        &root.key("marketing").key("budget"),
        &raw.marketing.budget,
        months,
    );

    let acq = root.key("acquisition");
    let cost_per_registration = input::input(
        &mut c,
        &acq.key("cost_per_registration"),
        &raw.acquisition.cost_per_registration,
        input::Meaning::CostPerRegistration,
        months,
    );
    let first_charge_rate = input::input(
        &mut c,
        &acq.key("first_charge_rate"),
        &raw.acquisition.first_charge_rate,
        input::Meaning::FirstChargeRate,
        months,
    );

    let spend_elasticity = raw.acquisition.spend_elasticity.as_ref().map(|e| {
        input::input(
            &mut c,
            &acq.key("spend_elasticity"),
            e,
            input::Meaning::Elasticity,
            months,
        )
    });
    let reference_budget = match raw.acquisition.reference_budget {
        Some(r) => {
            let at = acq.key("reference_budget");
            c.amount(&at, r, MAX_AMOUNT, "CNY a month");
            if r == 0.0 {
                c.fail(&at, Some(num(r)), Rule::ReferenceNotPositive);
            }
            r
        }
        None => mean_budget(&raw.marketing.budget),
    };

    let segs = root.key("segments");
    if raw.segments.is_empty() {
        c.fail(&segs, None, Rule::NoSegments);
    }
    let mut segments = Vec::with_capacity(raw.segments.len());
    let mut share_sum = 0.0;
    for (i, s) in raw.segments.iter().enumerate() {
        let p = segs.index(i);
        let name_ok = !s.name.is_empty()
            && s.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !name_ok {
            c.fail(
                &p.key("name"),
                Some(format!("{:?}", s.name)),
                Rule::SegmentName,
            );
        } else if raw.segments[..i].iter().any(|o| o.name == s.name) {
            c.fail(
                &p.key("name"),
                Some(format!("{:?}", s.name)),
                Rule::DuplicateSegment,
            );
        }
        c.amount(&p.key("start_payers"), s.start_payers, MAX_PAYERS, "payers");
        c.in_unit(&p.key("share_of_new"), s.share_of_new);
        share_sum += s.share_of_new;
        let retention = input::input(
            &mut c,
            &p.key("retention"),
            &s.retention,
            input::Meaning::Retention,
            months,
        );
        let arpu = input::input(
            &mut c,
            &p.key("arpu"),
            &s.arpu,
            input::Meaning::Arpu,
            months,
        );
        segments.push(Segment {
            name: s.name.clone(),
            start_payers: s.start_payers,
            share_of_new: s.share_of_new,
            retention,
            arpu,
        });
    }
    if !raw.segments.is_empty()
        && share_sum.is_finite()
        && (share_sum - 1.0).abs() > SHARE_SUM_TOLERANCE
    {
        c.fail(
            &segs.index(raw.segments.len() - 1).key("share_of_new"),
            Some(num(raw.segments.last().map_or(0.0, |s| s.share_of_new))),
            Rule::ShareSum { sum: share_sum },
        );
    }

    let shocks = shock_list(&mut c, &root.key("shocks"), &raw.shocks, raw, months);
    let mut stress = Vec::with_capacity(raw.stress.len());
    for (i, s) in raw.stress.iter().enumerate() {
        let p = root.key("stress").index(i);
        if s.name.trim().is_empty() {
            c.fail(&p.key("name"), Some(format!("{:?}", s.name)), Rule::Empty);
        } else if s.name == "baseline" || raw.stress[..i].iter().any(|o| o.name == s.name) {
            c.fail(
                &p.key("name"),
                Some(format!("{:?}", s.name)),
                Rule::StressName,
            );
        }
        stress.push(StressCase {
            name: s.name.clone(),
            set: s.set.clone(),
            scale: s.scale.clone(),
            from: s.from,
            shocks: shock_list(&mut c, &p.key("shocks"), &s.shocks, raw, months),
        });
    }

    let mut scenario = Scenario {
        name: raw.name.clone(),
        months,
        start,
        targets: Targets {
            revenue: raw.targets.revenue,
            profit: raw.targets.profit,
        },
        creator_share: raw.costs.creator_share,
        operations_rate: raw.costs.operations_rate,
        staff,
        infra,
        per_payer,
        budget,
        cost_per_registration,
        first_charge_rate,
        spend_elasticity,
        reference_budget,
        segments,
        shocks,
        stress,
        correlations: Vec::new(),
    };
    let correlations = correlations::correlations(&mut c, &raw.correlations, &scenario.inputs());
    scenario.correlations = correlations;
    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    Ok(scenario)
}

/// The mean of a budget schedule as written: the default reference budget.
pub fn mean_budget(budget: &RawSchedule) -> f64 {
    match budget {
        RawSchedule::Flat(v) => *v,
        RawSchedule::Months(v) if v.is_empty() => 0.0,
        RawSchedule::Months(v) => v.iter().sum::<f64>() / v.len() as f64,
    }
}

fn shock_list(
    c: &mut Checker,
    path: &FieldPath,
    raw_shocks: &[RawShock],
    raw: &RawScenario,
    months: usize,
) -> Vec<Shock> {
    let mut out = Vec::with_capacity(raw_shocks.len());
    for (i, s) in raw_shocks.iter().enumerate() {
        let p = path.index(i);
        let month_ok = s.month >= 1 && s.month <= months as i64;
        if !month_ok {
            c.fail(
                &p.key("month"),
                Some(s.month.to_string()),
                Rule::MonthOutside { months },
            );
        }
        let segment = raw.segments.iter().position(|g| g.name == s.segment);
        if segment.is_none() {
            c.fail(
                &p.key("segment"),
                Some(format!("{:?}", s.segment)),
                Rule::UnknownSegment {
                    names: raw.segments.iter().map(|g| g.name.clone()).collect(),
                },
            );
        }
        c.in_unit(&p.key("loss"), s.loss);
        if let (true, Some(segment)) = (month_ok, segment) {
            out.push(Shock {
                month: s.month as usize,
                segment,
                loss: s.loss,
            });
        }
    }
    out
}
