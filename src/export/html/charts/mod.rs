//! The report's charts, drawn with plotters' SVG backend into strings: one
//! file a chart. Text is left to the browser's sans-serif font (plotters
//! writes SVG `<text>`; without its TrueType feature it sizes labels from
//! a naive estimate, which is all a layout of axis labels needs).

mod explain;
mod fan;
mod histogram;
mod reached;
mod tornado;

use plotters::prelude::*;

use crate::aggregate::{Bands, MonthBands, Pair, RiskReport, Summary};
use crate::export::{ExportError, Result};

/// One chart: its file stem (`--charts DIR` writes `DIR/<name>.svg`), and
/// its SVG.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// File stem, also the figure's id in the HTML.
    pub name: &'static str,
    /// What it shows, one sentence.
    pub title: String,
    /// The SVG document.
    pub svg: String,
}

/// The charts a report always has, in the order of the page.
pub const CHART_NAMES: [&str; 7] = [
    "fan-revenue",
    "fan-profit",
    "reached",
    "annual-revenue",
    "annual-profit",
    "tornado",
    "explain",
];

/// Width and height of every chart, in SVG pixels (scaled by the page).
pub const SIZE: (u32, u32) = (760, 380);

/// The report's colours: revenue, profit, both, the plan, the targets.
pub(crate) const REVENUE: RGBColor = RGBColor(31, 102, 170);
pub(crate) const PROFIT: RGBColor = RGBColor(38, 134, 73);
pub(crate) const BOTH: RGBColor = RGBColor(118, 72, 160);
pub(crate) const PLAN: RGBColor = RGBColor(40, 40, 40);
pub(crate) const TARGET: RGBColor = RGBColor(200, 40, 40);
pub(crate) const GRID: RGBColor = RGBColor(226, 226, 226);

/// The font of every label.
pub(crate) const FONT: &str = "sans-serif";

type DrawResult = std::result::Result<(), Box<dyn std::error::Error>>;

/// A chart on two real axes, as every chart here is.
pub(crate) type Plot<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    plotters::coord::cartesian::Cartesian2d<
        plotters::coord::types::RangedCoordf64,
        plotters::coord::types::RangedCoordf64,
    >,
>;

/// The legend every chart draws: a light box at `position`.
pub(crate) fn legend<'a, 'b: 'a>(
    chart: &mut Plot<'a, 'b>,
    position: SeriesLabelPosition,
) -> DrawResult {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(GRID)
        .label_font((FONT, 12))
        .draw()?;
    Ok(())
}

/// A line's mark in the legend.
pub(crate) fn line_mark(
    style: impl Into<ShapeStyle>,
) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    let style = style.into();
    move |(x, y)| PathElement::new([(x, y), (x + 16, y)], style)
}

/// A fill's mark in the legend.
pub(crate) fn fill_mark(
    style: impl Into<ShapeStyle>,
) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    let style = style.into();
    move |(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], style)
}

/// Draws `draw` on a white SVG of [`SIZE`] and returns the document.
pub(crate) fn svg(
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> DrawResult,
) -> Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
        let result = root
            .fill(&WHITE)
            .map_err(|e| e.into())
            .and_then(|_| draw(&root))
            .and_then(|_| root.present().map_err(|e| e.into()));
        result.map_err(|e| ExportError::Render(format!("cannot draw a chart: {e}")))?;
    }
    Ok(out)
}

/// `lo..hi` widened by 6% on each side (and made non-empty).
pub(crate) fn padded(lo: f64, hi: f64) -> std::ops::Range<f64> {
    let span = if hi > lo { hi - lo } else { lo.abs().max(1.0) };
    (lo - 0.06 * span)..(hi + 0.06 * span)
}

/// The label of month position `x` (1-based) on a month axis: the month's
/// label at whole positions, nothing between them.
pub(crate) fn month_tick(labels: &[String], x: f64) -> String {
    let r = x.round();
    if (x - r).abs() > 1e-6 || r < 1.0 {
        return String::new();
    }
    labels.get(r as usize - 1).cloned().unwrap_or_default()
}

/// The months' labels of `s`: `YYYY-MM`, or the month's number.
fn labels(s: &Summary) -> Vec<String> {
    s.monthly
        .iter()
        .map(|m| m.label.clone().unwrap_or_else(|| m.month.to_string()))
        .collect()
}

/// The fan charts of revenue and profit: the report's first two charts,
/// and what `kpisim serve` draws after each run.
pub fn fans(s: &Summary) -> Result<[Chart; 2]> {
    let labels = labels(s);
    let months = s.months as f64;
    let fan = |what: &'static str,
               colour,
               get: fn(&Pair<f64>) -> f64,
               bands: fn(&MonthBands) -> Bands| {
        fan::Fan {
            what,
            labels: &labels,
            bands: s.monthly.iter().map(bands).collect(),
            plan: s.plan.iter().map(get).collect(),
            pace: get(&s.targets) / months,
            colour,
        }
        .draw()
    };
    let title = |what: &str| {
        format!(
            "Monthly {what}: P5-P95 and P25-P75 of the trials, their median, the plan, and the pace the target needs"
        )
    };
    Ok([
        Chart {
            name: CHART_NAMES[0],
            title: title("revenue"),
            svg: fan("revenue", REVENUE, |p| p.revenue, |m| m.revenue)?,
        },
        Chart {
            name: CHART_NAMES[1],
            title: title("profit"),
            svg: fan("profit", PROFIT, |p| p.profit, |m| m.profit)?,
        },
    ])
}

/// Every chart of `r`, in [`CHART_NAMES`] order.
pub fn all(r: &RiskReport) -> Result<Vec<Chart>> {
    let s = &r.summary;
    let labels = labels(s);
    let [fan_revenue, fan_profit] = fans(s)?;
    Ok(vec![
        fan_revenue,
        fan_profit,
        Chart {
            name: CHART_NAMES[2],
            title: "Share of trials whose revenue and profit, summed from month 1, have reached the annual target by each month".into(),
            svg: reached::draw(s, &labels)?,
        },
        Chart {
            name: CHART_NAMES[3],
            title: "Annual revenue of the trials, with the target".into(),
            svg: histogram::draw(&r.histograms.revenue, s.targets.revenue, s.probability.revenue, "revenue", REVENUE)?,
        },
        Chart {
            name: CHART_NAMES[4],
            title: "Annual profit of the trials, with the target".into(),
            svg: histogram::draw(&r.histograms.profit, s.targets.profit, s.probability.profit, "profit", PROFIT)?,
        },
        Chart {
            name: CHART_NAMES[5],
            title: "Mean annual profit with each uncertain input held at its P10 and at its P90, everything else random".into(),
            svg: tornado::draw(&r.sensitivity)?,
        },
        Chart {
            name: CHART_NAMES[6],
            title: "The simulated years on the two inputs the box restricts most, those that miss in red, and the box".into(),
            svg: explain::draw(&r.explain)?,
        },
    ])
}
