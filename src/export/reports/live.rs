//! What `kpisim serve` draws after each run, beside its own probability
//! cards: the report's headline table and its two fan charts, made by the
//! report's renderers, so that the meeting-room page and the printed
//! report show the same run the same way.

use serde::Serialize;

use crate::aggregate::Summary;
use crate::export::Result;
use crate::export::html::charts;

/// The pieces of HTML `POST /api/view` answers, each keyed by its section
/// id in the report.
#[derive(Debug, Clone, Serialize)]
pub struct Live {
    /// The headline's table: each target against the plan and the bands.
    pub plan: String,
    /// The section of the monthly revenue fan chart.
    #[serde(rename = "fan-revenue")]
    pub fan_revenue: String,
    /// The section of the monthly profit fan chart.
    #[serde(rename = "fan-profit")]
    pub fan_profit: String,
}

/// The pieces of `s`.
pub fn live(s: &Summary) -> Result<Live> {
    let [revenue, profit] = charts::fans(s)?;
    Ok(Live {
        plan: super::run::html_plan(s),
        fan_revenue: super::risk::fan_section(s, &revenue),
        fan_profit: super::risk::fan_section(s, &profit),
    })
}
