//! One file per report, each saying how it is shown: its table, its CSV
//! columns and rows, its workbook's chart, its part of the HTML page. A new
//! report is a new file here and its line below.

mod fit;
mod kpis;
mod point;
mod risk;
mod run;
mod sensitivity;
mod solve;
mod stress;
mod sweep;
mod track;

pub use point::Plans;
pub use run::Runs;
