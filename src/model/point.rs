//! The deterministic point plan: every input at its mean (a truncated
//! normal at its truncated mean), times profile, noise at its mean of 1,
//! clamped; the same recursion as a trial.

use serde::Serialize;

use super::{Block, Metric, Model, SegmentMetric};

/// One month of the point plan.
#[derive(Debug, Clone, Serialize)]
pub struct PointMonth {
    /// Month, 1-based (0 in [`PointPlan::annual`]).
    pub month: usize,
    /// Registrations: budget / cost per registration.
    pub registrations: f64,
    /// New payers: registrations × first-charge rate.
    pub new_payers: f64,
    /// Old payers kept from last month by retention, less shocks.
    pub old_payers: f64,
    /// All payers, old plus new (in the annual sums, payer-months).
    pub payers: f64,
    /// Revenue / payers of the month, CNY a payer (annual: revenue /
    /// payer-months).
    pub arpu: f64,
    /// Revenue, CNY: payers × ARPU summed over segments.
    pub revenue: f64,
    /// Marketing spend, CNY: the month's budget.
    pub marketing: f64,
    /// Profit, CNY: margin × revenue − budget − staff − infra.
    pub profit: f64,
}

/// One segment in the point plan.
#[derive(Debug, Clone, Serialize)]
pub struct PointSegment {
    /// Segment name, as in the scenario.
    pub name: String,
    /// Its payers, month by month, month 1 first.
    pub payers: Vec<f64>,
    /// Its revenue, CNY, month by month, month 1 first.
    pub revenue: Vec<f64>,
    /// Its share of payer-months over the horizon.
    pub payer_share: f64,
    /// Its share of revenue over the horizon.
    pub revenue_share: f64,
}

/// The point plan, month by month, with its annual sums.
#[derive(Debug, Clone, Serialize)]
pub struct PointPlan {
    /// Each month of the horizon, month 1 first.
    pub monthly: Vec<PointMonth>,
    /// Each segment, in file order.
    pub segments: Vec<PointSegment>,
    /// Sums over the horizon (payers and ARPU: see [`PointPlan::annual`]).
    pub annual: PointMonth,
}

impl Model {
    /// Runs the recursion with every input at its mean.
    pub fn point_plan(&self) -> PointPlan {
        let months = self.months;
        let mut block = Block::new(self);
        self.fill_means(&mut block);
        self.recursion(&mut block);
        let layout = &self.layout;
        let series: Vec<f64> = (0..layout.len())
            .map(|s| block.series_value(s, 0))
            .collect();
        let levels = [block.funnel[0][0], block.funnel[1][0]];
        let get = |k: Metric, m: usize| layout.read(layout.metric(k, m), &series, levels);
        let monthly: Vec<PointMonth> = (0..months)
            .map(|m| {
                let payers = get(Metric::Payers, m);
                let revenue = get(Metric::Revenue, m);
                PointMonth {
                    month: m + 1,
                    registrations: get(Metric::Registrations, m),
                    new_payers: get(Metric::NewPayers, m),
                    old_payers: get(Metric::OldPayers, m),
                    payers,
                    arpu: if payers > 0.0 { revenue / payers } else { 0.0 },
                    revenue,
                    marketing: self.budget[m],
                    profit: get(Metric::Profit, m),
                }
            })
            .collect();
        let sum = |f: fn(&PointMonth) -> f64| monthly.iter().map(f).sum::<f64>();
        // Payer-months: revenue / payer-months is the year's average ARPU.
        let payer_months = sum(|p| p.payers);
        let revenue = sum(|p| p.revenue);
        let annual = PointMonth {
            month: 0,
            registrations: sum(|p| p.registrations),
            new_payers: sum(|p| p.new_payers),
            old_payers: sum(|p| p.old_payers),
            payers: payer_months,
            arpu: if payer_months > 0.0 {
                revenue / payer_months
            } else {
                0.0
            },
            revenue,
            marketing: sum(|p| p.marketing),
            profit: sum(|p| p.profit),
        };
        let share = |part: &[f64], whole: f64| {
            if whole > 0.0 {
                part.iter().sum::<f64>() / whole
            } else {
                0.0
            }
        };
        let segments = self
            .segment_names()
            .iter()
            .enumerate()
            .map(|(s, name)| {
                let of = |w: SegmentMetric| -> Vec<f64> {
                    (0..months)
                        .map(|m| layout.read(layout.segment(s, w, m), &series, levels))
                        .collect()
                };
                let (payers, revenue) = (of(SegmentMetric::Payers), of(SegmentMetric::Revenue));
                PointSegment {
                    name: name.clone(),
                    payer_share: share(&payers, payer_months),
                    revenue_share: share(&revenue, annual.revenue),
                    payers,
                    revenue,
                }
            })
            .collect();
        PointPlan {
            monthly,
            segments,
            annual,
        }
    }
}
