//! A histogram of an annual quantity over the trials (its central 99%),
//! with the target as a vertical line.

use plotters::prelude::*;

use super::{FONT, GRID, Result, TARGET, fill_mark, legend, line_mark, padded, svg};
use crate::aggregate::Histogram;
use crate::present::{human, pct};

/// The SVG of `h`, annual `what` against `target`, hit with probability
/// `p`.
pub(crate) fn draw(
    h: &Histogram,
    target: f64,
    p: f64,
    what: &str,
    colour: RGBColor,
) -> Result<String> {
    let hi = h.lo + h.width * h.counts.len() as f64;
    let total: u64 = h.counts.iter().sum::<u64>() + h.below + h.above;
    let share = |c: u64| c as f64 / total.max(1) as f64;
    let top = h.counts.iter().map(|c| share(*c)).fold(0.0, f64::max);
    let x_range = padded(h.lo.min(target), hi.max(target));
    svg(|root| {
        let mut chart = ChartBuilder::on(root)
            .margin(14)
            .x_label_area_size(34)
            .y_label_area_size(54)
            .build_cartesian_2d(x_range.clone(), 0.0..top * 1.4)?;
        chart
            .configure_mesh()
            .x_labels(8)
            .x_label_formatter(&|v| human(*v))
            .y_label_formatter(&|v| format!("{:.1}%", 100.0 * v))
            .y_desc("share of trials")
            .bold_line_style(GRID)
            .max_light_lines(0)
            .label_style((FONT, 12))
            .draw()?;
        chart
            .draw_series(h.counts.iter().enumerate().map(|(i, c)| {
                let x0 = h.lo + i as f64 * h.width;
                let fill = if x0 + 0.5 * h.width >= target {
                    colour.mix(0.75)
                } else {
                    colour.mix(0.3)
                };
                Rectangle::new([(x0, 0.0), (x0 + h.width, share(*c))], fill.filled())
            }))?
            .label(format!(
                "annual {what} of the trials (darker: at or above the target)"
            ))
            .legend(fill_mark(colour.mix(0.75).filled()));
        chart
            .draw_series(LineSeries::new(
                [(target, 0.0), (target, top * 1.4)],
                TARGET.stroke_width(2),
            ))?
            .label(format!(
                "target {}: hit by {} of the trials",
                human(target),
                pct(p)
            ))
            .legend(line_mark(TARGET.stroke_width(2)));
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        Ok(())
    })
}
