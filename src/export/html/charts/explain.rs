//! The box of `explain` over the simulated years: the first years of the
//! run on the two inputs the box restricts most, those that miss in red,
//! and the box's limits on the two drawn as a rectangle.

use plotters::prelude::*;

use super::{FONT, GRID, Result, TARGET, fill_mark, legend, line_mark, padded, svg};
use crate::aggregate::ExplainReport;
use crate::export::text::level;
use crate::present::{pct, thousands};

const HIT: RGBColor = RGBColor(150, 170, 190);

/// The SVG; with fewer than two inputs that vary, a note saying so.
pub(crate) fn draw(r: &ExplainReport) -> Result<String> {
    let Some(p) = &r.picture else {
        return svg(|root| {
            root.draw(&Text::new(
                "Fewer than two uncertain inputs vary: nothing to draw.",
                (20, 30),
                (FONT, 14),
            ))?;
            Ok(())
        });
    };
    let range = |f: fn(&(f64, f64, bool)) -> f64| {
        let lo = p.years.iter().map(f).fold(f64::INFINITY, f64::min);
        let hi = p.years.iter().map(f).fold(f64::NEG_INFINITY, f64::max);
        padded(lo, hi)
    };
    let (xr, yr) = (range(|t| t.0), range(|t| t.1));
    // An axis the box does not limit: the box spans it.
    let limits = |axis: usize, span: &std::ops::Range<f64>| {
        let b = r.prim_box_bound(&p.axes[axis].0);
        (
            b.and_then(|b| b.min).unwrap_or(span.start),
            b.and_then(|b| b.max).unwrap_or(span.end),
        )
    };
    let (x0, x1) = limits(0, &xr);
    let (y0, y1) = limits(1, &yr);
    let ((xname, xkind), (yname, ykind)) = (&p.axes[0], &p.axes[1]);
    svg(|root| {
        let mut chart = ChartBuilder::on(root)
            .margin(14)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .build_cartesian_2d(xr.clone(), yr.clone())?;
        chart
            .configure_mesh()
            .x_labels(8)
            .y_labels(8)
            .x_label_formatter(&|v| level(*xkind, *v))
            .y_label_formatter(&|v| level(*ykind, *v))
            .x_desc(xname.as_str())
            .y_desc(yname.as_str())
            .bold_line_style(GRID)
            .max_light_lines(0)
            .label_style((FONT, 12))
            .draw()?;
        for (missed, colour, what) in [(false, HIT, "reach"), (true, TARGET, "miss")] {
            chart
                .draw_series(
                    p.years
                        .iter()
                        .filter(|t| t.2 == missed)
                        .map(|t| Circle::new((t.0, t.1), 2, colour.mix(0.6).filled())),
                )?
                .label(format!("years that {what} {}", r.target_words()))
                .legend(fill_mark(colour.filled()));
        }
        chart
            .draw_series([Rectangle::new([(x0, y0), (x1, y1)], BLACK.stroke_width(2))])?
            .label(format!(
                "the box: {} of all years, {} of them miss",
                pct(r.prim_box.mass),
                pct(r.prim_box.density)
            ))
            .legend(line_mark(BLACK.stroke_width(2)));
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        root.draw(&Text::new(
            format!(
                "the first {} simulated years",
                thousands(p.years.len() as u64)
            ),
            (80, 355),
            (FONT, 11),
        ))?;
        Ok(())
    })
}
