//! The share of trials that have reached each target by each month,
//! summing from month 1 (the run's `reached_by_month`), with the 50% line.

use plotters::prelude::*;

use super::{BOTH, FONT, GRID, PROFIT, REVENUE, Result, legend, line_mark, month_tick, svg};
use crate::aggregate::Summary;
use crate::present::pct;

/// Reads one target's share from a month's entry.
type Share = fn(&crate::aggregate::Reached) -> f64;

/// The SVG.
pub(crate) fn draw(s: &Summary, labels: &[String]) -> Result<String> {
    let n = s.reached_by_month.len();
    svg(|root| {
        let mut chart = ChartBuilder::on(root)
            .margin(14)
            .x_label_area_size(34)
            .y_label_area_size(54)
            .build_cartesian_2d(0.5..n as f64 + 0.5, 0.0..1.02)?;
        chart
            .configure_mesh()
            .x_labels(n.min(13))
            .x_label_formatter(&|v| month_tick(labels, *v))
            .y_labels(6)
            .y_label_formatter(&|v| format!("{:.0}%", 100.0 * v))
            .bold_line_style(GRID)
            .max_light_lines(0)
            .label_style((FONT, 12))
            .draw()?;
        chart
            .draw_series(DashedLineSeries::new(
                [(0.5, 0.5), (n as f64 + 0.5, 0.5)],
                4,
                4,
                BLACK.mix(0.6).stroke_width(1),
            ))?
            .label("half the trials")
            .legend(line_mark(BLACK.mix(0.6)));
        let lines: [(&str, RGBColor, Share, f64); 2] = [
            (
                "revenue target",
                REVENUE,
                |r| r.revenue,
                s.probability.revenue,
            ),
            ("profit target", PROFIT, |r| r.profit, s.probability.profit),
        ];
        for (name, c, get, last) in lines {
            chart
                .draw_series(LineSeries::new(
                    s.reached_by_month.iter().map(|r| (r.month as f64, get(r))),
                    c.stroke_width(3),
                ))?
                .label(format!("{name} reached ({} by the end)", pct(last)))
                .legend(line_mark(c.stroke_width(3)));
        }
        // Dashed on top: it often runs along the revenue line.
        chart
            .draw_series(DashedLineSeries::new(
                s.reached_by_month.iter().map(|r| (r.month as f64, r.both)),
                7,
                5,
                BOTH.stroke_width(3),
            ))?
            .label(format!(
                "both targets reached ({} by the end)",
                pct(s.probability.both)
            ))
            .legend(line_mark(BOTH.stroke_width(3)));
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        Ok(())
    })
}
