//! One file per report, each saying how it is shown: its table, its CSV
//! columns and rows, its workbook's chart, its part of the HTML page. A new
//! report is a new file here and its line below.

mod assumptions;
mod explain;
mod fit;
mod kpis;
mod live;
mod point;
mod risk;
mod run;
mod sensitivity;
mod solve;
mod stress;
mod sweep;
mod track;

pub use live::{Live, live};
pub use point::Plans;
pub use run::Runs;

use serde::{Serialize, Serializer};

/// The reports of a batch of scenarios, in command-line order: one object
/// in JSON for one scenario, an array for several.
#[derive(Debug, Clone)]
pub struct Batch<T>(pub Vec<T>);

impl<T: Serialize> Serialize for Batch<T> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self.0.as_slice() {
            [one] => one.serialize(s),
            many => many.serialize(s),
        }
    }
}
