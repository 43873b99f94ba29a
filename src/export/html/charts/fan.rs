//! A fan chart of a monthly quantity: the trials' P5-P95 and P25-P75 as
//! bands, their median, the point plan, and the flat pace that sums to the
//! annual target.

use plotters::prelude::*;

use super::{
    FONT, GRID, PLAN, Result, TARGET, fill_mark, legend, line_mark, month_tick, padded, svg,
};
use crate::aggregate::Bands;
use crate::present::human;

/// What a fan chart shows.
pub(crate) struct Fan<'a> {
    /// `revenue` or `profit`, for the legend.
    pub what: &'static str,
    /// Month labels for the x axis (`YYYY-MM`, or the month's number).
    pub labels: &'a [String],
    /// Each month's bands of the quantity over all trials, CNY.
    pub bands: Vec<Bands>,
    /// Each month's point-plan value, CNY.
    pub plan: Vec<f64>,
    /// The flat pace: the annual target / months, CNY a month.
    pub pace: f64,
    /// The quantity's colour.
    pub colour: RGBColor,
}

impl Fan<'_> {
    /// The SVG.
    pub fn draw(&self) -> Result<String> {
        let n = self.bands.len();
        let lo = self
            .bands
            .iter()
            .map(|b| b.p5)
            .chain(self.plan.iter().copied())
            .chain([self.pace, 0.0])
            .fold(f64::INFINITY, f64::min);
        let hi = self
            .bands
            .iter()
            .map(|b| b.p95)
            .chain(self.plan.iter().copied())
            .chain([self.pace])
            .fold(f64::NEG_INFINITY, f64::max);
        let x = |i: usize| (i + 1) as f64;
        let band = |lo: fn(&Bands) -> f64, hi: fn(&Bands) -> f64| -> Vec<(f64, f64)> {
            let mut pts: Vec<(f64, f64)> = self
                .bands
                .iter()
                .enumerate()
                .map(|(i, b)| (x(i), hi(b)))
                .collect();
            pts.extend(
                self.bands
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(i, b)| (x(i), lo(b))),
            );
            pts
        };
        svg(|root| {
            let mut chart = ChartBuilder::on(root)
                .margin(14)
                .x_label_area_size(34)
                .y_label_area_size(64)
                .build_cartesian_2d(0.5..n as f64 + 0.5, padded(lo, hi))?;
            chart
                .configure_mesh()
                .x_labels(n.min(13))
                .x_label_formatter(&|v| month_tick(self.labels, *v))
                .y_label_formatter(&|v| human(*v))
                .bold_line_style(GRID)
                .max_light_lines(0)
                .label_style((FONT, 12))
                .draw()?;
            if lo < 0.0 {
                chart.draw_series(LineSeries::new(
                    [(0.5, 0.0), (n as f64 + 0.5, 0.0)],
                    BLACK.mix(0.5),
                ))?;
            }
            let c = self.colour;
            chart
                .draw_series([Polygon::new(
                    band(|b| b.p5, |b| b.p95),
                    c.mix(0.16).filled(),
                )])?
                .label("P5-P95")
                .legend(fill_mark(c.mix(0.16).filled()));
            chart
                .draw_series([Polygon::new(
                    band(|b| b.p25, |b| b.p75),
                    c.mix(0.34).filled(),
                )])?
                .label("P25-P75")
                .legend(fill_mark(c.mix(0.34).filled()));
            chart
                .draw_series(LineSeries::new(
                    self.bands.iter().enumerate().map(|(i, b)| (x(i), b.p50)),
                    c.stroke_width(3),
                ))?
                .label(format!("median {}", self.what))
                .legend(line_mark(c.stroke_width(3)));
            chart
                .draw_series(DashedLineSeries::new(
                    self.plan.iter().enumerate().map(|(i, p)| (x(i), *p)),
                    6,
                    4,
                    PLAN.stroke_width(2),
                ))?
                .label("plan (every input at its mean)")
                .legend(line_mark(PLAN.stroke_width(2)));
            chart
                .draw_series(DashedLineSeries::new(
                    [(0.5, self.pace), (n as f64 + 0.5, self.pace)],
                    3,
                    3,
                    TARGET.stroke_width(2),
                ))?
                .label(format!("pace for the target: {} a month", human(self.pace)))
                .legend(line_mark(TARGET.stroke_width(2)));
            legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
            Ok(())
        })
    }
}
