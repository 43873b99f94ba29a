//! The progress bar: on stderr, only when someone watches (a terminal) and
//! the work is long enough to watch; the engine only calls it back.

use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};

use crate::engine::Progress;
use crate::options::SimOptions;

/// Fewest trials, over all the runs of a command, worth a bar: about a
/// second of work.
pub const WATCHED: u64 = 2_000_000;

/// A bar over `runs` runs of `sim.trials` trials, when `sim.progress` and
/// they add up to [`WATCHED`] or more; it clears itself when the last run's
/// configuration is dropped.
pub fn bar(sim: &SimOptions, runs: u64) -> Option<Progress> {
    let total = sim.trials.saturating_mul(runs.max(1));
    if !sim.progress || total < WATCHED {
        return None;
    }
    let style =
        ProgressStyle::with_template("{spinner} {human_pos}/{human_len} trials {wide_bar} {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
        .with_style(style)
        .with_finish(ProgressFinish::AndClear);
    Some(Arc::new(move |n| bar.inc(n)))
}
