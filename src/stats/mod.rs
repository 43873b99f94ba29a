//! Mergeable accumulators of simulated values, independent of what the
//! values mean: log-bucket histograms for the monthly bands, moments merged
//! in chunk order, and exact quantiles of per-trial values. The engine fills
//! them; the reports read them.

mod block;
mod histogram;
mod moments;
mod quantile;

pub use block::{BlockSums, block_sums};
pub use histogram::{LogHistogram, RELATIVE_ERROR, TINY, range};
pub use moments::Moments;
pub use quantile::exact_quantiles;
