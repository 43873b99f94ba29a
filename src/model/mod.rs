//! The compiled model: a [`Scenario`] flattened into plain numbers and
//! arrays, indexed by position, so that the hot loop touches no strings,
//! maps or options.
//!
//! Inputs are numbered in the engine's draw order: cost per registration,
//! first-charge rate, then each segment's retention and ARPU in file order.
//! That order is part of value stability (`tests/value_stability.rs`).

mod point;
mod trial;

pub use point::{PointMonth, PointPlan, PointSegment};
pub use trial::{MeanSource, RngSource, Scratch, Source};

use crate::distr::{Dist, LogNormal};
use crate::scenario::{Input, InputKind, Scenario, Targets, Vary};

/// The monthly series every trial records, in output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Registrations bought by the marketing budget.
    Registrations,
    /// New payers.
    NewPayers,
    /// Old payers retained from last month.
    OldPayers,
    /// Total payers.
    Payers,
    /// Revenue, CNY.
    Revenue,
    /// Profit, CNY.
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

    /// The metrics a trial records month by month. Profit is not among
    /// them: budget and costs are schedules, not uncertain, so a month's
    /// profit is `margin × revenue - budget - staff - infra`, an increasing
    /// affine function of its revenue, and its bands follow from revenue's
    /// ([`Model::profit`]). That spares the widest histograms (profit
    /// crosses zero, so its log buckets span many octaves).
    pub const RECORDED: [Metric; 5] = [
        Metric::Registrations,
        Metric::NewPayers,
        Metric::OldPayers,
        Metric::Payers,
        Metric::Revenue,
    ];
}

/// One uncertain input, compiled.
#[derive(Debug, Clone)]
pub struct CompiledInput {
    pub(crate) dist: Dist,
    pub(crate) per_month: bool,
    pub(crate) profile: Vec<f64>,
    pub(crate) noise: Option<LogNormal>,
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    /// Names its random stream within a trial ([`crate::streams`]).
    pub(crate) salt: u64,
}

impl CompiledInput {
    fn new(input: &Input, position: usize) -> Self {
        let (lo, hi) = match input.kind {
            InputKind::Rate => (0.0, 1.0),
            InputKind::Arpu => (0.0, f64::INFINITY),
            InputKind::CostPerRegistration => (f64::NEG_INFINITY, f64::INFINITY),
        };
        CompiledInput {
            dist: input.dist.clone(),
            per_month: input.vary == Vary::Month,
            profile: input.profile.clone(),
            noise: (input.noise_cv > 0.0)
                .then(|| LogNormal::unit_mean(input.noise_cv).expect("noise_cv validated > 0")),
            lo,
            hi,
            salt: crate::streams::input_salt(position),
        }
    }
}

/// One payer segment, compiled.
#[derive(Debug, Clone)]
pub struct CompiledSegment {
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
    /// Staff plus infra, per month.
    pub(crate) fixed_costs: Vec<f64>,
    /// 1 - creator_share - operations_rate.
    pub(crate) margin: f64,
    pub(crate) targets: Targets,
    pub(crate) inputs: Vec<CompiledInput>,
    pub(crate) segments: Vec<CompiledSegment>,
    /// Segment names, for reports (never read in the hot loop).
    segment_names: Vec<String>,
    /// Input paths in draw order, for messages.
    input_names: Vec<String>,
    /// Whether trials also record each month's ARPU (revenue / payers).
    pub(crate) record_arpu: bool,
}

/// Index of the cost per registration in [`Model::inputs`].
pub const CPR: usize = 0;
/// Index of the first-charge rate in [`Model::inputs`].
pub const FCR: usize = 1;

impl Model {
    /// Compiles a validated scenario.
    pub fn compile(s: &Scenario) -> Model {
        let mut inputs = vec![
            CompiledInput::new(&s.cost_per_registration, CPR),
            CompiledInput::new(&s.first_charge_rate, FCR),
        ];
        let mut segments = Vec::with_capacity(s.segments.len());
        for (i, seg) in s.segments.iter().enumerate() {
            let r = Model::retention_index(i);
            inputs.push(CompiledInput::new(&seg.retention, r));
            inputs.push(CompiledInput::new(&seg.arpu, r + 1));
            let mut survive = vec![1.0; s.months];
            for shock in s.shocks.iter().filter(|k| k.segment == i) {
                survive[shock.month - 1] *= 1.0 - shock.loss;
            }
            segments.push(CompiledSegment {
                start_payers: seg.start_payers,
                share_of_new: seg.share_of_new,
                survive,
            });
        }
        Model {
            months: s.months,
            budget: s.budget.clone(),
            fixed_costs: s.staff.iter().zip(&s.infra).map(|(a, b)| a + b).collect(),
            margin: 1.0 - s.creator_share - s.operations_rate,
            targets: s.targets,
            inputs,
            segments,
            segment_names: s.segments.iter().map(|g| g.name.clone()).collect(),
            input_names: s.inputs().into_iter().map(|(p, _)| p).collect(),
            record_arpu: false,
        }
    }

    /// Horizon in months.
    pub fn months(&self) -> usize {
        self.months
    }

    /// Annual targets.
    pub fn targets(&self) -> Targets {
        self.targets
    }

    /// The uncertain inputs in draw order.
    pub fn inputs(&self) -> &[CompiledInput] {
        &self.inputs
    }

    /// Number of monthly series a trial records: recorded metrics × months,
    /// then, with several segments, each segment's payers and revenue.
    pub fn series(&self) -> usize {
        let per_segment = if self.segment_series() {
            2 * self.segments.len()
        } else {
            0
        };
        let arpu = usize::from(self.record_arpu);
        (Metric::RECORDED.len() + per_segment + arpu) * self.months
    }

    /// The same model, recording each month's ARPU (revenue / payers) as a
    /// series after the others (for `kpisim kpis`).
    pub fn with_arpu_series(mut self) -> Model {
        self.record_arpu = true;
        self
    }

    /// Index of month `m`'s ARPU among a trial's series, when recorded.
    pub fn arpu_series_index(&self, m: usize) -> usize {
        self.series() - self.months + m
    }

    /// Whether trials record each segment's payers and revenue: only with
    /// several segments (one segment's are the totals).
    #[inline(always)]
    pub fn segment_series(&self) -> bool {
        self.segments.len() > 1
    }

    /// Where segment `s`'s payers and revenue series start (month 0) among
    /// the series of a model with `segments` segments: its own series when
    /// there are several, the totals when there is one (the same numbers).
    pub fn segment_series_start(segments: usize, s: usize, months: usize) -> (usize, usize) {
        if segments > 1 {
            let at = Model::segment_series_index(s, months, 0);
            (at, at + months)
        } else {
            let at = |k: Metric| trial::series_index(k, 0, months).unwrap_or(0);
            (at(Metric::Payers), at(Metric::Revenue))
        }
    }

    /// Index of segment `s`'s payers in month `m` among a trial's series;
    /// its revenue is `months` further on.
    #[inline(always)]
    pub fn segment_series_index(s: usize, months: usize, m: usize) -> usize {
        (Metric::RECORDED.len() + 2 * s) * months + m
    }

    /// Segment names, in file order.
    pub fn segment_names(&self) -> &[String] {
        &self.segment_names
    }

    /// Month `m`'s (0-based) profit given its revenue. Increasing in
    /// revenue (margin >= 0), so it maps revenue's quantiles to profit's.
    #[inline(always)]
    pub fn profit(&self, m: usize, revenue: f64) -> f64 {
        revenue * self.margin - self.budget[m] - self.fixed_costs[m]
    }

    /// `(margin, fixed)` with profit = margin × revenue - fixed, per month.
    pub fn profit_affine(&self) -> Vec<(f64, f64)> {
        (0..self.months)
            .map(|m| (self.margin, self.budget[m] + self.fixed_costs[m]))
            .collect()
    }

    /// Index of the retention input of segment `s`.
    pub(crate) fn retention_index(s: usize) -> usize {
        2 + 2 * s
    }
}
