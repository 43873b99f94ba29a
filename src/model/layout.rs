//! Where every monthly quantity of a trial is kept: the one place that
//! knows the offsets of the series a trial records, so that the kernel
//! writing them, the summary, the KPI sheet and the point plan reading them
//! cannot disagree, and adding a metric shifts nothing by accident.
//!
//! Not every monthly quantity is recorded as a series of its own:
//! - profit is `margin × revenue − costs` of the same month, an increasing
//!   function of revenue, so its bands come from revenue's (unless a cost
//!   per payer makes it depend on payers too: then it is recorded, as
//!   profit plus the month's fixed costs, [`Profit::Recorded`]);
//! - when the cost per registration and the first-charge rate are drawn
//!   once a trial without noise and the rate is never clamped, a month's
//!   registrations are `budget / profile` times one per-trial level (1 / D
//!   of the cost) and its new payers `budget × rate profile / cost profile`
//!   times another (D of the rate / D of the cost): both are kept once a
//!   trial, exactly, instead of twelve histogram inserts each;
//! - with one segment, the segment's payers and revenue are the totals.

use super::Metric;

/// A per-trial level that scales into a monthly quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// 1 / D of the cost per registration.
    Registrations,
    /// D of the first-charge rate / D of the cost per registration.
    NewPayers,
}

/// Where the values of one monthly quantity come from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Source {
    /// Histogram series number `0`.
    Series(usize),
    /// `factor ×` a per-trial level (an increasing function of it).
    Scaled {
        /// The per-trial level it scales.
        level: Level,
        /// Its factor this month, positive.
        factor: f64,
    },
    /// `a × series + b` with `a >= 0` (profit from revenue).
    Affine {
        /// The series it is a function of (for profit, the month's revenue).
        series: usize,
        /// Slope, at least 0 (for profit, the margin).
        a: f64,
        /// Intercept (for profit, minus the month's costs, CNY).
        b: f64,
    },
}

/// How each month's profit is kept.
#[derive(Debug, Clone, PartialEq)]
pub enum Profit {
    /// Per month, (a, b) of profit = a × revenue + b: read from revenue's
    /// series.
    OfRevenue(Vec<(f64, f64)>),
    /// Recorded in a series of its own, as profit plus the month's fixed
    /// costs (given here, per month), read back less them. Profit itself
    /// crosses zero in a month near break-even, and a log-bucket histogram
    /// of values that cross zero spans dozens of octaves down to its floor
    /// (measured 40,000 buckets and 7.5 ns an insert against 3,000 and
    /// 2.4 ns); profit plus its fixed costs is the gross margin less the
    /// per-payer costs, positive wherever a payer earns more than it
    /// costs. A band is then within [`crate::stats::RELATIVE_ERROR`] of
    /// that amount: the precision a profit derived from revenue has.
    Recorded(Vec<f64>),
}

/// A segment's monthly quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentMetric {
    /// Its payers: old ones kept plus its share of the new.
    Payers,
    /// Its revenue, CNY: its payers × its ARPU.
    Revenue,
}

/// The recorded series of a trial and where every monthly quantity comes
/// from. See the module docs.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesLayout {
    months: usize,
    /// Series recorded for the totals, in order.
    recorded: Vec<Metric>,
    /// Number of segments whose own payers and revenue are recorded (0 with
    /// one segment).
    segments: usize,
    /// Whether each month's ARPU (revenue / payers) is recorded.
    arpu: bool,
    /// Per month, the factors of the registrations and new payers levels,
    /// when those are derived.
    funnel: Option<Vec<[f64; 2]>>,
    /// How each month's profit is kept.
    profit: Profit,
}

impl SeriesLayout {
    /// The layout of a model of `months` months and `segments` segments;
    /// `funnel` gives the registrations and new payers factors per month
    /// when they are derived; `profit` says how profit is kept.
    pub fn new(
        months: usize,
        segments: usize,
        funnel: Option<Vec<[f64; 2]>>,
        profit: Profit,
    ) -> Self {
        let recorded = Metric::ALL
            .iter()
            .copied()
            .filter(|k| *k != Metric::Profit || matches!(profit, Profit::Recorded(_)))
            .filter(|k| funnel.is_none() || !matches!(k, Metric::Registrations | Metric::NewPayers))
            .collect();
        SeriesLayout {
            months,
            recorded,
            segments: if segments > 1 { segments } else { 0 },
            arpu: false,
            funnel,
            profit,
        }
    }

    /// The same layout, also recording each month's ARPU.
    pub fn with_arpu(mut self) -> Self {
        self.arpu = true;
        self
    }

    /// Number of histogram series a trial records.
    pub fn len(&self) -> usize {
        (self.recorded.len() + 2 * self.segments + usize::from(self.arpu)) * self.months
    }

    /// Whether a trial records no series (never: revenue is always one).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Horizon in months.
    pub fn months(&self) -> usize {
        self.months
    }

    /// Whether registrations and new payers are derived from per-trial
    /// levels.
    pub fn derives_funnel(&self) -> bool {
        self.funnel.is_some()
    }

    /// Whether each segment's series are recorded (several segments).
    pub fn records_segments(&self) -> bool {
        self.segments > 0
    }

    /// The series of recorded total `k` in month `m` (0-based), if recorded.
    pub fn recorded(&self, k: Metric, m: usize) -> Option<usize> {
        self.recorded
            .iter()
            .position(|x| *x == k)
            .map(|i| i * self.months + m)
    }

    /// The series of segment `s`'s `which` in month `m`, when recorded.
    pub fn segment_series(&self, s: usize, which: SegmentMetric, m: usize) -> Option<usize> {
        (s < self.segments).then(|| {
            let k = match which {
                SegmentMetric::Payers => 0,
                SegmentMetric::Revenue => 1,
            };
            (self.recorded.len() + 2 * s + k) * self.months + m
        })
    }

    /// The series of month `m`'s ARPU, when recorded.
    pub fn arpu(&self, m: usize) -> Option<usize> {
        self.arpu
            .then(|| (self.recorded.len() + 2 * self.segments) * self.months + m)
    }

    /// Where total `k` of month `m` comes from.
    pub fn metric(&self, k: Metric, m: usize) -> Source {
        match (k, &self.profit) {
            (Metric::Profit, Profit::Recorded(costs)) => {
                return Source::Affine {
                    series: self.recorded(k, m).expect("profit is recorded"),
                    a: 1.0,
                    b: -costs[m],
                };
            }
            (Metric::Profit, Profit::OfRevenue(ab)) => {
                let (a, b) = ab[m];
                return Source::Affine {
                    series: self
                        .recorded(Metric::Revenue, m)
                        .expect("revenue is recorded"),
                    a,
                    b,
                };
            }
            _ => {}
        }
        if let Some(i) = self.recorded(k, m) {
            return Source::Series(i);
        }
        match (k, &self.funnel) {
            (Metric::Registrations, Some(f)) => Source::Scaled {
                level: Level::Registrations,
                factor: f[m][0],
            },
            (Metric::NewPayers, Some(f)) => Source::Scaled {
                level: Level::NewPayers,
                factor: f[m][1],
            },
            _ => unreachable!("every other metric is recorded"),
        }
    }

    /// Where segment `s`'s `which` in month `m` comes from: its own series,
    /// or the totals when there is one segment.
    pub fn segment(&self, s: usize, which: SegmentMetric, m: usize) -> Source {
        match self.segment_series(s, which, m) {
            Some(i) => Source::Series(i),
            None => self.metric(
                match which {
                    SegmentMetric::Payers => Metric::Payers,
                    SegmentMetric::Revenue => Metric::Revenue,
                },
                m,
            ),
        }
    }

    /// The value of `source` given a trial's recorded series (stride 1) and
    /// per-trial levels (registrations, new payers).
    pub fn read(&self, source: Source, series: &[f64], levels: [f64; 2]) -> f64 {
        match source {
            Source::Series(i) => series[i],
            Source::Scaled { level, factor } => {
                factor
                    * match level {
                        Level::Registrations => levels[0],
                        Level::NewPayers => levels[1],
                    }
            }
            Source::Affine { series: i, a, b } => a * series[i] + b,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_series_has_one_place_and_derived_ones_none() {
        let profit = Profit::OfRevenue(vec![(0.3, -10.0); 12]);
        let plain = SeriesLayout::new(12, 2, None, profit.clone()).with_arpu();
        let mut seen: Vec<usize> = Vec::new();
        for m in 0..12 {
            for k in Metric::ALL {
                if let Some(i) = plain.recorded(k, m) {
                    seen.push(i);
                }
            }
            for s in 0..2 {
                for w in [SegmentMetric::Payers, SegmentMetric::Revenue] {
                    seen.extend(plain.segment_series(s, w, m));
                }
            }
            seen.extend(plain.arpu(m));
        }
        seen.sort_unstable();
        assert_eq!(seen, (0..plain.len()).collect::<Vec<_>>());
        assert_eq!(plain.len(), (5 + 4 + 1) * 12);

        let derived = SeriesLayout::new(12, 1, Some(vec![[2.0, 3.0]; 12]), profit);
        assert_eq!(derived.len(), 3 * 12);
        assert_eq!(
            derived.metric(Metric::NewPayers, 4),
            Source::Scaled {
                level: Level::NewPayers,
                factor: 3.0
            }
        );
        assert_eq!(
            derived.segment(0, SegmentMetric::Revenue, 4),
            derived.metric(Metric::Revenue, 4)
        );
        assert!(matches!(
            derived.metric(Metric::Profit, 0),
            Source::Affine { a: 0.3, .. }
        ));

        // Recorded profit is read back less the month's fixed costs.
        let recorded = SeriesLayout::new(12, 1, None, Profit::Recorded(vec![7.0; 12]));
        let at = recorded.recorded(Metric::Profit, 3).expect("recorded");
        assert_eq!(
            recorded.metric(Metric::Profit, 3),
            Source::Affine {
                series: at,
                a: 1.0,
                b: -7.0
            }
        );
    }
}
