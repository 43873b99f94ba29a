//! The tornado of `sensitivity`: for each uncertain input, the mean annual
//! profit with the input held at its P10 and at its P90, as bars from the
//! baseline, the largest swing on top.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{FONT, GRID, PLAN, Result, fill_mark, legend, line_mark, padded, svg};
use crate::aggregate::SensitivityReport;
use crate::present::human;

const LOW: RGBColor = RGBColor(222, 132, 44);
const HIGH: RGBColor = RGBColor(31, 102, 170);

/// The SVG.
pub(crate) fn draw(r: &SensitivityReport) -> Result<String> {
    let base = r.baseline.profit;
    let n = r.inputs.len().max(1);
    let lo = r
        .inputs
        .iter()
        .flat_map(|i| [i.profit.at_p10, i.profit.at_p90])
        .fold(base, f64::min);
    let hi = r
        .inputs
        .iter()
        .flat_map(|i| [i.profit.at_p10, i.profit.at_p90])
        .fold(base, f64::max);
    svg(|root| {
        let mut chart = ChartBuilder::on(root)
            .margin(14)
            .x_label_area_size(34)
            .y_label_area_size(250)
            .build_cartesian_2d(padded(lo, hi), -0.7..n as f64 - 0.3)?;
        chart
            .configure_mesh()
            .x_labels(8)
            .x_label_formatter(&|v| human(*v))
            .x_desc("mean annual profit")
            .disable_y_mesh()
            .y_labels(0)
            .bold_line_style(GRID)
            .max_light_lines(0)
            .label_style((FONT, 12))
            .draw()?;
        // Largest swing on top: the report lists inputs by swing, largest
        // first, and y grows upwards.
        let row = |k: usize| (n - 1 - k) as f64;
        for (k, i) in r.inputs.iter().enumerate() {
            let y = row(k);
            chart.draw_series([
                Rectangle::new(
                    [(base, y - 0.32), (i.profit.at_p10, y + 0.32)],
                    LOW.filled(),
                ),
                Rectangle::new(
                    [(base, y - 0.32), (i.profit.at_p90, y + 0.32)],
                    HIGH.filled(),
                ),
            ])?;
            let (px, py) = chart.backend_coord(&(chart.x_range().start, y));
            root.draw(&Text::new(
                i.path.clone(),
                (px - 8, py),
                (FONT, 13)
                    .into_font()
                    .color(&PLAN)
                    .pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
        }
        chart
            .draw_series(LineSeries::new(
                [(base, -0.7), (base, n as f64 - 0.3)],
                PLAN.stroke_width(2),
            ))?
            .label(format!("baseline {}", human(base)))
            .legend(line_mark(PLAN.stroke_width(2)));
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())?
            .label("input at its P10")
            .legend(fill_mark(LOW.filled()));
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())?
            .label("input at its P90")
            .legend(fill_mark(HIGH.filled()));
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        Ok(())
    })
}
