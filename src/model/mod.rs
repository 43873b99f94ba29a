//! The compiled model: a [`Scenario`] flattened into plain numbers and
//! arrays, indexed by position, so that the hot loop touches no strings,
//! maps or options; the monthly recursion on a block of trials
//! ([`Block`]); where each monthly quantity is kept ([`SeriesLayout`]);
//! the point plan; and the rule of what counts as a hit ([`HitRule`]).
//!
//! Inputs are kept in file order (cost per registration, first-charge
//! rate, then each segment's retention and ARPU), but nothing depends on
//! that order: each input draws from streams named by its path
//! ([`crate::streams`]), and segments are summed in the order of their
//! names, so that a file with its segments reordered gives the same bytes.

mod copula;
mod diagnose;
mod kernel;
mod layout;
mod point;
mod returns;
mod strata;

pub use copula::Copula;
pub use diagnose::NonFinite;
pub use kernel::{BLOCK, Block};
pub use layout::{Level, Profit, SegmentMetric, SeriesLayout, Source};
pub use point::{PointMonth, PointPlan, PointSegment};
pub use strata::{Place, REPLICATES, Strata};

use crate::distr::{Dist, Inverse, LogNormal};
use crate::scenario::{Input, InputKind, Scenario, Targets, Vary};
use crate::streams;

/// The monthly metrics of a trial, in output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Registrations bought by the marketing budget.
    Registrations,
    /// New payers: registrations × first-charge rate.
    NewPayers,
    /// Old payers retained from last month (less shocks), all segments.
    OldPayers,
    /// All payers of the month: old plus new, all segments.
    Payers,
    /// Revenue, CNY: payers × ARPU, summed over segments.
    Revenue,
    /// Profit, CNY: margin × revenue − budget − staff − infra − cost per
    /// payer × payers.
    Profit,
}

impl Metric {
    /// All metrics, in output order.
    pub const ALL: [Metric; 6] = [
        Metric::Registrations,
        Metric::NewPayers,
        Metric::OldPayers,
        Metric::Payers,
        Metric::Revenue,
        Metric::Profit,
    ];

    /// Name used in JSON keys and CSV rows.
    pub fn key(self) -> &'static str {
        match self {
            Metric::Registrations => "registrations",
            Metric::NewPayers => "new_payers",
            Metric::OldPayers => "old_payers",
            Metric::Payers => "payers",
            Metric::Revenue => "revenue",
            Metric::Profit => "profit",
        }
    }
}

/// What counts as hitting the targets: a year's sum at least the target.
/// Hits are kept as bits of one byte a trial.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HitRule {
    targets: Targets,
}

impl HitRule {
    /// The revenue target is hit.
    pub const REVENUE: u8 = 1;
    /// The profit target is hit.
    pub const PROFIT: u8 = 2;
    /// Both, in the same trial.
    pub const BOTH: u8 = 4;
    /// The three bits, in the order revenue, profit, both.
    pub const BITS: [u8; 3] = [Self::REVENUE, Self::PROFIT, Self::BOTH];

    /// The rule of `targets`.
    pub fn new(targets: Targets) -> Self {
        HitRule { targets }
    }

    /// The targets.
    pub fn targets(&self) -> Targets {
        self.targets
    }

    /// The hit bits of a year with this `revenue` and `profit`.
    #[inline(always)]
    pub fn bits(&self, revenue: f64, profit: f64) -> u8 {
        let r = revenue >= self.targets.revenue;
        let p = profit >= self.targets.profit;
        u8::from(r) * Self::REVENUE + u8::from(p) * Self::PROFIT + u8::from(r && p) * Self::BOTH
    }
}

/// One of the targets, or both in the same trial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Annual revenue at least its target.
    Revenue,
    /// Annual profit at least its target.
    Profit,
    /// Both in the same trial.
    Both,
}

impl Target {
    /// All three, in report order.
    pub const ALL: [Target; 3] = [Target::Revenue, Target::Profit, Target::Both];

    /// Its position in [`HitRule::BITS`] and in per-target triples.
    pub fn index(self) -> usize {
        match self {
            Target::Revenue => 0,
            Target::Profit => 1,
            Target::Both => 2,
        }
    }

    /// Its hit bit.
    pub fn bit(self) -> u8 {
        HitRule::BITS[self.index()]
    }

    /// Its name in JSON, CSV and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Target::Revenue => "revenue",
            Target::Profit => "profit",
            Target::Both => "both",
        }
    }
}

/// How an input's level D is obtained in a trial.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Draw {
    /// Drawn from its distribution, on its own stream.
    Sampled,
    /// Held at this value in every trial and month (`sensitivity`); its
    /// noise is still drawn.
    Held(f64),
}

/// One uncertain input, compiled.
#[derive(Debug, Clone)]
pub struct CompiledInput {
    pub(crate) dist: Dist,
    pub(crate) draw: Draw,
    pub(crate) per_month: bool,
    pub(crate) profile: Vec<f64>,
    pub(crate) noise: Option<LogNormal>,
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    /// Names its stream of D in a trial.
    pub(crate) salt: u64,
    /// Names its stream of noise in a trial.
    pub(crate) noise_salt: u64,
    /// Its quantile function, when its D is drawn through it (a copula
    /// member, or Latin hypercube sampling).
    pub(crate) inverse: Option<Inverse>,
}

impl CompiledInput {
    fn new(input: &Input, path: &str) -> Self {
        let (lo, hi) = match input.kind {
            InputKind::Rate | InputKind::Elasticity => (0.0, 1.0),
            InputKind::Arpu => (0.0, f64::INFINITY),
            InputKind::CostPerRegistration => (f64::NEG_INFINITY, f64::INFINITY),
        };
        let salt = streams::input_salt(path);
        CompiledInput {
            dist: input.dist.clone(),
            draw: Draw::Sampled,
            per_month: input.vary == Vary::Month,
            profile: input.profile.clone(),
            noise: (input.noise_cv > 0.0)
                .then(|| LogNormal::unit_mean(input.noise_cv).expect("noise_cv validated >= 0")),
            lo,
            hi,
            salt,
            noise_salt: streams::noise_salt(salt),
            inverse: None,
        }
    }

    /// Its distribution.
    pub fn dist(&self) -> &Dist {
        &self.dist
    }

    /// Whether its value can differ from trial to trial or month to month.
    pub fn is_uncertain(&self) -> bool {
        !matches!(self.dist, Dist::Fixed(_)) || self.noise.is_some()
    }

    /// Drawn once a trial, without noise: one value a trial, whole.
    fn is_one_level(&self) -> bool {
        !self.per_month && self.noise.is_none()
    }
}

/// One payer segment, compiled.
#[derive(Debug, Clone)]
pub struct CompiledSegment {
    /// Its retention's and its ARPU's places in [`Model::inputs`].
    pub(crate) retention: usize,
    pub(crate) arpu: usize,
    pub(crate) start_payers: f64,
    pub(crate) share_of_new: f64,
    /// Per month: the product of (1 - loss) of the shocks on this segment.
    pub(crate) survive: Vec<f64>,
}

/// A scenario ready to simulate.
#[derive(Debug, Clone)]
pub struct Model {
    pub(crate) months: usize,
    pub(crate) budget: Vec<f64>,
    /// Staff plus infra plus budget, per month: profit = margin × revenue - costs.
    pub(crate) costs: Vec<f64>,
    /// 1 - creator_share - operations_rate.
    pub(crate) margin: f64,
    /// CNY a payer a month, when any month has a cost per payer.
    pub(crate) per_payer: Option<Vec<f64>>,
    /// The spend elasticity's place in [`Model::inputs`], when the
    /// scenario has one.
    pub(crate) elasticity: Option<usize>,
    /// Per month, ln(budget / reference budget): a registration costs
    /// exp(E × it) times more (0 where the budget is 0, which buys
    /// nothing anyway).
    pub(crate) log_spend: Vec<f64>,
    pub(crate) hits: HitRule,
    pub(crate) inputs: Vec<CompiledInput>,
    pub(crate) segments: Vec<CompiledSegment>,
    /// Segment indices in the order of their names: the order revenue and
    /// payers are summed in, whatever the file's order.
    pub(crate) sum_order: Vec<usize>,
    pub(crate) layout: SeriesLayout,
    /// Correlated inputs, when the scenario has `[[correlations]]`.
    pub(crate) copula: Option<Copula>,
    /// Whether D is drawn by Latin hypercube (from strata the engine
    /// passes to each block).
    pub(crate) lhs: bool,
    /// Input paths in [`Model::inputs`] order, for reports and messages.
    input_names: Vec<String>,
    /// Segment names, in file order.
    segment_names: Vec<String>,
}

/// Index of the cost per registration in [`Model::inputs`].
pub const CPR: usize = 0;
/// Index of the first-charge rate in [`Model::inputs`].
pub const FCR: usize = 1;
/// The spend elasticity's path: an optional input, so that its place in
/// [`Model::inputs`] is looked up.
const ELASTICITY: &str = "acquisition.spend_elasticity";

impl Model {
    /// Compiles a validated scenario.
    pub fn compile(s: &Scenario) -> Model {
        let named = s.inputs();
        let mut inputs: Vec<CompiledInput> = named
            .iter()
            .map(|(path, input)| CompiledInput::new(input, path))
            .collect();
        let paths: Vec<String> = named.iter().map(|(p, _)| p.clone()).collect();
        let copula = Copula::new(&s.correlations, &inputs, &paths);
        for &i in copula.iter().flat_map(|c| &c.members) {
            inputs[i].inverse = Some(Inverse::new(&inputs[i].dist));
        }
        let place = |path: String| paths.iter().position(|p| *p == path);
        let segments = s
            .segments
            .iter()
            .enumerate()
            .map(|(i, seg)| {
                let mut survive = vec![1.0; s.months];
                for shock in s.shocks.iter().filter(|k| k.segment == i) {
                    survive[shock.month - 1] *= 1.0 - shock.loss;
                }
                let of = |key: &str| {
                    place(format!("segments.{}.{key}", seg.name)).expect("every segment's inputs")
                };
                CompiledSegment {
                    retention: of("retention"),
                    arpu: of("arpu"),
                    start_payers: seg.start_payers,
                    share_of_new: seg.share_of_new,
                    survive,
                }
            })
            .collect();
        let mut sum_order: Vec<usize> = (0..s.segments.len()).collect();
        sum_order.sort_by(|a, b| s.segments[*a].name.cmp(&s.segments[*b].name));
        let costs: Vec<f64> = (0..s.months).map(|m| s.costs(m, s.budget[m])).collect();
        let margin = s.margin();
        let elasticity = place(ELASTICITY.to_string());
        let log_spend: Vec<f64> = s
            .budget
            .iter()
            .map(|&b| {
                if b > 0.0 {
                    (b / s.reference_budget).ln()
                } else {
                    0.0
                }
            })
            .collect();
        let per_payer = s.has_per_payer().then(|| s.per_payer.clone());
        let funnel = Self::funnel_factors(&inputs, &s.budget, elasticity, &log_spend);
        let layout = SeriesLayout::new(
            s.months,
            s.segments.len(),
            funnel,
            Self::profit_layout(margin, &costs, &per_payer),
        );
        Model {
            months: s.months,
            budget: s.budget.clone(),
            costs,
            margin,
            per_payer,
            elasticity,
            log_spend,
            hits: HitRule::new(s.targets),
            inputs,
            segments,
            sum_order,
            layout,
            copula,
            lhs: false,
            input_names: paths,
            segment_names: s.segments.iter().map(|g| g.name.clone()).collect(),
        }
    }

    /// Per month, the factors that turn the per-trial levels 1 / D (cost)
    /// and D (rate) / D (cost) into registrations and new payers, when the
    /// two inputs are one value a trial and the rate is never clamped
    /// (docs/engine.md, "Registrations and new payers").
    fn funnel_factors(
        inputs: &[CompiledInput],
        budget: &[f64],
        elasticity: Option<usize>,
        log_spend: &[f64],
    ) -> Option<Vec<[f64; 2]>> {
        let (cpr, fcr) = (&inputs[CPR], &inputs[FCR]);
        if !(cpr.is_one_level() && fcr.is_one_level()) {
            return None;
        }
        // A fixed elasticity is one more factor a month; a drawn one is not.
        let e = match elasticity.map(|i| &inputs[i].dist) {
            None => 0.0,
            Some(Dist::Fixed(e)) => *e,
            Some(_) => return None,
        };
        let (lo, hi) = fcr.dist.reach();
        let p_max = fcr.profile.iter().fold(0f64, |a, &p| a.max(p));
        if lo < 0.0 || hi * p_max > 1.0 {
            return None;
        }
        Some(
            budget
                .iter()
                .enumerate()
                .map(|(m, b)| {
                    let reg = b / cpr.profile[m] * (-e * log_spend[m]).exp();
                    [reg, reg * fcr.profile[m]]
                })
                .collect(),
        )
    }

    /// The same model, also recording each month's ARPU (revenue / payers)
    /// (for `kpisim kpis`).
    pub fn with_arpu_series(mut self) -> Model {
        self.layout = self.layout.with_arpu();
        self
    }

    /// The same model recording every monthly total as a series of its own
    /// (and each segment's, with several): what the path to a target reads
    /// of the trials it simulates again. The draws are the same; only where
    /// the values are kept changes.
    pub fn with_every_series(mut self) -> Model {
        let profit = Self::profit_layout(self.margin, &self.costs, &self.per_payer);
        self.layout = SeriesLayout::new(self.months, self.segments.len(), None, profit);
        self
    }

    /// How profit is kept: as `margin × revenue − costs` without a cost per
    /// payer; recorded (plus its fixed costs) with one, which makes it
    /// depend on payers too.
    fn profit_layout(margin: f64, costs: &[f64], per_payer: &Option<Vec<f64>>) -> Profit {
        match per_payer {
            None => Profit::OfRevenue(costs.iter().map(|c| (margin, -c)).collect()),
            Some(_) => Profit::Recorded(costs.to_vec()),
        }
    }

    /// Monthly marketing budget, CNY.
    pub fn budget(&self) -> &[f64] {
        &self.budget
    }

    /// The same model, drawing every uncertain input's D by Latin hypercube
    /// from the strata the engine passes ([`Strata`]).
    pub fn with_lhs(mut self) -> Model {
        use rayon::prelude::*;
        self.lhs = true;
        // Tables of the beta and PERT inputs take milliseconds each: in
        // parallel.
        self.inputs.par_iter_mut().for_each(|inp| {
            if inp.inverse.is_none() && !matches!(inp.dist, Dist::Fixed(_)) {
                inp.inverse = Some(Inverse::new(&inp.dist));
            }
        });
        self
    }

    /// Whether D is drawn by Latin hypercube.
    pub fn is_lhs(&self) -> bool {
        self.lhs
    }

    /// The same model with input `i`'s D held at `value` in every trial and
    /// month (profile and noise still apply).
    pub fn with_held(mut self, i: usize, value: f64) -> Model {
        self.inputs[i].draw = Draw::Held(value);
        self
    }

    /// Horizon in months.
    pub fn months(&self) -> usize {
        self.months
    }

    /// What counts as a hit.
    pub fn hit_rule(&self) -> HitRule {
        self.hits
    }

    /// The uncertain inputs in file order.
    pub fn inputs(&self) -> &[CompiledInput] {
        &self.inputs
    }

    /// Each input's path, in [`Model::inputs`] order.
    pub fn input_names(&self) -> &[String] {
        &self.input_names
    }

    /// Segment names, in file order.
    pub fn segment_names(&self) -> &[String] {
        &self.segment_names
    }

    /// Where each monthly quantity is kept.
    pub fn layout(&self) -> &SeriesLayout {
        &self.layout
    }

    /// Month `m`'s (0-based) profit given its revenue and payers.
    #[inline(always)]
    pub fn profit(&self, m: usize, revenue: f64, payers: f64) -> f64 {
        let per_payer = self.per_payer.as_ref().map_or(0.0, |c| c[m]);
        revenue * self.margin - self.costs[m] - per_payer * payers
    }
}
