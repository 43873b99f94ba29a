//! `kpisim explain`: in the simulated years that miss a target, what went
//! wrong together. Two answers from every trial's inputs (the levels
//! `--trials-out` writes) and whether it missed:
//!
//! - the shifts (the "scenario analysis" of risk tools): each input's
//!   median over all trials and over the misses, the difference in the
//!   input's standard deviations;
//! - a box of input ranges found by PRIM (Friedman and Fisher 1999, the
//!   "scenario discovery" of robust decision making): starting from every
//!   trial, peel off the 5% of the box at one end of one input that leaves
//!   the highest share of misses, until the box would hold too few trials.
//!   The box reported is the first on that trajectory whose share of
//!   misses (its density) reaches `--density`, else the densest.
//!
//! The box describes the simulated years under the scenario's assumptions:
//! which combinations of inputs the misses share, not what causes them.

use rayon::prelude::*;
use serde::Serialize;

use super::Header;
use crate::scenario::InputKind;

/// Share of a box peeled off at one end of one input, at least one trial.
pub const PEEL: f64 = 0.05;
/// Default `--density`: the box reported is the first this dense.
pub const DENSITY: f64 = 0.8;
/// Default `--min-mass`: peeling stops before the box holds fewer than
/// this share of all trials.
pub const MIN_MASS: f64 = 0.05;

/// One input's medians overall and in the years that miss.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shift {
    /// The input's dotted path, as `--trials-out` names its column.
    pub path: String,
    /// Its median over all trials (the mean of the two middle values for
    /// an even count).
    pub median_all: f64,
    /// Its median over the trials that miss; `null` when none misses.
    pub median_miss: Option<f64>,
    /// `(median_miss - median_all) / sd`, sd the population standard
    /// deviation of the input over all trials; `null` when none misses or
    /// the input took one value.
    pub shift_sd: Option<f64>,
    /// What the input is, for showing its values.
    #[serde(skip)]
    pub kind: InputKind,
}

/// Which end of an input a peel cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The lowest values: the box keeps those at least the threshold.
    Low,
    /// The highest values: the box keeps those at most the threshold.
    High,
}

/// What one step of the trajectory peeled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Peel {
    /// The input peeled.
    pub path: String,
    /// Its end that was cut.
    pub side: Side,
    /// The box keeps values `>=` it (low) or `<=` it (high).
    pub threshold: f64,
}

/// One box of the trajectory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// 0 for every trial, then one a peel.
    pub step: usize,
    /// Share of all trials in the box.
    pub mass: f64,
    /// Share of the box's trials that miss.
    pub density: f64,
    /// Share of all missing trials that are in the box; `null` when none
    /// misses.
    pub coverage: Option<f64>,
    /// What this step peeled; `null` at step 0.
    pub peeled: Option<Peel>,
}

/// A limit the box puts on one input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bound {
    /// The input's dotted path.
    pub path: String,
    /// The threshold of its last low peel: the box holds values at least
    /// this; `null` when its low end was not peeled.
    pub min: Option<f64>,
    /// The threshold of its last high peel: the box holds values at most
    /// this; `null` when its high end was not peeled.
    pub max: Option<f64>,
}

/// The box reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrimBox {
    /// Its step on the trajectory.
    pub step: usize,
    /// The inputs it restricts, in `--trials-out` column order.
    pub bounds: Vec<Bound>,
    /// Share of all trials in it.
    pub mass: f64,
    /// Share of its trials that miss.
    pub density: f64,
    /// Share of all missing trials in it; `null` when none misses.
    pub coverage: Option<f64>,
}

/// The result of `kpisim explain` (docs/output.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExplainReport {
    /// Scenario, file, version, hash, trials, seed.
    #[serde(flatten)]
    pub header: Header,
    /// The target missed: `revenue`, `profit` or `both`.
    pub target: &'static str,
    /// `--density` asked.
    pub density_asked: f64,
    /// `--min-mass` asked.
    pub min_mass: f64,
    /// Share of all trials that miss.
    pub miss_probability: f64,
    /// Per input that is not fixed, by |shift_sd|, largest first.
    pub shifts: Vec<Shift>,
    /// The box reported.
    #[serde(rename = "box")]
    pub prim_box: PrimBox,
    /// Every box from step 0.
    pub trajectory: Vec<Step>,
    /// The years of the two inputs the box restricts most, for a picture;
    /// `None` with fewer than two inputs.
    #[serde(skip)]
    pub picture: Option<Picture>,
}

/// Years to draw: enough to see where misses crowd, few enough for a page.
pub const PICTURED: usize = 2_000;

/// The first [`PICTURED`] years (trial order is random) on the two inputs
/// the box restricts most: those whose limits alone leave out the most
/// years, then the largest shifts.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    /// The inputs on the x and y axes: path and kind.
    pub axes: [(String, InputKind); 2],
    /// Each year's values on the two axes, and whether it missed.
    pub years: Vec<(f64, f64, bool)>,
}

/// What explain is asked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ask {
    /// The box reported is the first at least this dense.
    pub density: f64,
    /// Peeling stops before the box holds fewer than this share of trials.
    pub min_mass: f64,
}

impl Default for Ask {
    fn default() -> Self {
        Ask {
            density: DENSITY,
            min_mass: MIN_MASS,
        }
    }
}

/// Inputs' values per trial and whether each trial missed.
pub struct Trials<'a> {
    /// Per input that is not fixed, in `--trials-out` order: its path,
    /// what it is, and its value in each trial.
    pub inputs: Vec<(&'a str, InputKind, &'a [f64])>,
    /// Per trial, whether it missed the target.
    pub miss: Vec<bool>,
}

impl ExplainReport {
    /// The explanation of `trials`' misses of `target`, as `ask` says.
    pub fn new(header: Header, target: &'static str, trials: &Trials, ask: Ask) -> Self {
        let n = trials.miss.len();
        let misses = trials.miss.iter().filter(|m| **m).count();
        let (trajectory, peels) = prim(trials, ask.min_mass);
        let chosen = trajectory
            .iter()
            .position(|s| s.density >= ask.density)
            .unwrap_or_else(|| densest(&trajectory));
        let at = &trajectory[chosen];
        let bounds = bounds(trials, &peels[..chosen]);
        let shifts = shifts(trials, misses);
        ExplainReport {
            picture: picture(trials, &bounds, &shifts),
            header,
            target,
            density_asked: ask.density,
            min_mass: ask.min_mass,
            miss_probability: ratio(misses, n),
            shifts,
            prim_box: PrimBox {
                step: chosen,
                bounds,
                mass: at.mass,
                density: at.density,
                coverage: at.coverage,
            },
            trajectory,
        }
    }

    /// Whether there was anything to explain: an input that varies.
    pub fn has_inputs(&self) -> bool {
        !self.shifts.is_empty()
    }

    /// The target in words: `both targets`, `the revenue target`.
    pub fn target_words(&self) -> String {
        match self.target {
            "both" => "both targets".into(),
            t => format!("the {t} target"),
        }
    }

    /// The box's limits on the input at `path`, when it has any.
    pub fn prim_box_bound(&self, path: &str) -> Option<&Bound> {
        self.prim_box.bounds.iter().find(|b| b.path == path)
    }

    /// What the input at `path` is.
    pub fn kind(&self, path: &str) -> InputKind {
        self.shifts
            .iter()
            .find(|s| s.path == path)
            .map_or(InputKind::Arpu, |s| s.kind)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// The densest step, the earliest of equals.
fn densest(trajectory: &[Step]) -> usize {
    let mut best = 0;
    for (i, s) in trajectory.iter().enumerate() {
        if s.density > trajectory[best].density {
            best = i;
        }
    }
    best
}

/// The picture of `trials` on the two inputs `bounds` restrict most (see
/// [`Picture`]).
fn picture(trials: &Trials, bounds: &[Bound], shifts: &[Shift]) -> Option<Picture> {
    let column = |path: &str| trials.inputs.iter().position(|(p, _, _)| *p == path);
    let left_out = |b: &Bound| {
        let values = trials.inputs[column(&b.path)?].2;
        let (lo, hi) = (
            b.min.unwrap_or(f64::NEG_INFINITY),
            b.max.unwrap_or(f64::INFINITY),
        );
        Some(values.iter().filter(|v| **v < lo || **v > hi).count())
    };
    let mut restricted: Vec<(usize, &str)> = bounds
        .iter()
        .filter_map(|b| Some((left_out(b)?, b.path.as_str())))
        .collect();
    // Stable: equals keep the column order.
    restricted.sort_by_key(|r| std::cmp::Reverse(r.0));
    let mut axes: Vec<usize> = restricted.iter().filter_map(|(_, p)| column(p)).collect();
    for s in shifts {
        if let Some(j) = column(&s.path).filter(|j| !axes.contains(j)) {
            axes.push(j);
        }
    }
    let [x, y] = [*axes.first()?, *axes.get(1)?];
    let axis = |j: usize| (trials.inputs[j].0.to_string(), trials.inputs[j].1);
    Some(Picture {
        axes: [axis(x), axis(y)],
        years: (0..trials.miss.len().min(PICTURED))
            .map(|t| (trials.inputs[x].2[t], trials.inputs[y].2[t], trials.miss[t]))
            .collect(),
    })
}

/// The median of `v` (reordered): the mean of the two middle values for an
/// even count.
pub fn median(v: &mut [f64]) -> f64 {
    let n = v.len();
    assert!(n > 0, "the median of no values");
    let (_, hi, _) = v.select_nth_unstable_by(n / 2, f64::total_cmp);
    let hi = *hi;
    if n % 2 == 1 {
        return hi;
    }
    let lo = v[..n / 2].iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (lo + hi) / 2.0
}

fn shifts(trials: &Trials, misses: usize) -> Vec<Shift> {
    let n = trials.miss.len();
    let mut out: Vec<Shift> = trials
        .inputs
        .iter()
        .map(|(path, kind, values)| {
            let mut all = values.to_vec();
            let median_all = median(&mut all);
            let mean = values.iter().sum::<f64>() / n as f64;
            let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
            let median_miss = (misses > 0).then(|| {
                let mut miss: Vec<f64> = values
                    .iter()
                    .zip(&trials.miss)
                    .filter(|(_, m)| **m)
                    .map(|(v, _)| *v)
                    .collect();
                median(&mut miss)
            });
            Shift {
                path: path.to_string(),
                median_all,
                median_miss,
                shift_sd: median_miss
                    .filter(|_| var > 0.0)
                    .map(|m| (m - median_all) / var.sqrt()),
                kind: *kind,
            }
        })
        .collect();
    // Stable: equal shifts keep the column order.
    out.sort_by(|a, b| {
        let key = |s: &Shift| s.shift_sd.map_or(-1.0, f64::abs);
        key(b).total_cmp(&key(a))
    });
    out
}

/// A candidate peel: the box left, counted.
#[derive(Clone, Copy)]
struct Candidate {
    input: usize,
    side: Side,
    threshold: f64,
    kept: usize,
    missed: usize,
}

impl Candidate {
    /// Whether its box has a strictly higher share of misses than
    /// `other`'s, exactly (integers, no rounding).
    fn denser(&self, other: &Candidate) -> bool {
        (self.missed as u128) * (other.kept as u128) > (other.missed as u128) * (self.kept as u128)
    }
}

/// PRIM's peeling trajectory, and what each step peeled.
fn prim(trials: &Trials, min_mass: f64) -> (Vec<Step>, Vec<Peel>) {
    let total = trials.miss.len();
    let misses = trials.miss.iter().filter(|m| **m).count();
    let step = |i: usize, kept: usize, missed: usize, peeled: Option<Peel>| Step {
        step: i,
        mass: ratio(kept, total),
        density: ratio(missed, kept),
        coverage: (misses > 0).then(|| ratio(missed, misses)),
        peeled,
    };
    let mut in_box: Vec<u32> = (0..total as u32).collect();
    let mut missed = misses;
    let mut trajectory = vec![step(0, total, missed, None)];
    let mut peels = Vec::new();
    // One buffer a worker, not one an input: the peels' selections need a
    // copy of the box's values, and a copy of every input would double
    // what the trials hold.
    let workers = rayon::current_num_threads().clamp(1, trials.inputs.len().max(1));
    let mut scratch: Vec<Vec<f64>> = vec![Vec::new(); workers];
    let floor = min_mass * total as f64;
    loop {
        let n = in_box.len();
        if n < 2 {
            break;
        }
        let k = (n / 20).max(1);
        let mut found: Vec<(usize, [Candidate; 2])> = scratch
            .par_iter_mut()
            .enumerate()
            .flat_map_iter(|(w, buf)| {
                let in_box = &in_box;
                (w..trials.inputs.len())
                    .step_by(workers)
                    .map(move |j| (j, peels_of(j, trials, in_box, k, buf)))
                    .collect::<Vec<_>>()
            })
            .collect();
        // Input order, low before high: the first of equals wins.
        found.sort_by_key(|(j, _)| *j);
        let mut best: Option<Candidate> = None;
        for c in found.iter().flat_map(|(_, c)| c) {
            if c.kept < n && best.is_none_or(|b| c.denser(&b)) {
                best = Some(*c);
            }
        }
        let Some(c) = best else { break };
        if (c.kept as f64) < floor {
            break;
        }
        let values = trials.inputs[c.input].2;
        in_box.retain(|&t| match c.side {
            Side::Low => values[t as usize] >= c.threshold,
            Side::High => values[t as usize] <= c.threshold,
        });
        missed = c.missed;
        let peel = Peel {
            path: trials.inputs[c.input].0.to_string(),
            side: c.side,
            threshold: c.threshold,
        };
        peels.push(peel.clone());
        trajectory.push(step(trajectory.len(), c.kept, missed, Some(peel)));
    }
    (trajectory, peels)
}

/// Input `j`'s two peels of the box `in_box` of `n` trials, `k` trials
/// deep, `buf` the room for a copy of its values.
fn peels_of(
    j: usize,
    trials: &Trials,
    in_box: &[u32],
    k: usize,
    buf: &mut Vec<f64>,
) -> [Candidate; 2] {
    let n = in_box.len();
    let values = trials.inputs[j].2;
    buf.clear();
    buf.extend(in_box.iter().map(|&t| values[t as usize]));
    let (_, lo, _) = buf.select_nth_unstable_by(k, f64::total_cmp);
    let lo = *lo;
    let (_, hi, _) = buf.select_nth_unstable_by(n - 1 - k, f64::total_cmp);
    let hi = *hi;
    let (mut keep_lo, mut miss_lo, mut keep_hi, mut miss_hi) = (0, 0, 0, 0);
    for &t in in_box {
        let (v, m) = (values[t as usize], usize::from(trials.miss[t as usize]));
        keep_lo += usize::from(v >= lo);
        miss_lo += m & usize::from(v >= lo);
        keep_hi += usize::from(v <= hi);
        miss_hi += m & usize::from(v <= hi);
    }
    let candidate = |side, threshold, kept, missed| Candidate {
        input: j,
        side,
        threshold,
        kept,
        missed,
    };
    [
        candidate(Side::Low, lo, keep_lo, miss_lo),
        candidate(Side::High, hi, keep_hi, miss_hi),
    ]
}

/// The limits `peels` (the steps up to the box) put on each input: its
/// last low and high thresholds.
fn bounds(trials: &Trials, peels: &[Peel]) -> Vec<Bound> {
    trials
        .inputs
        .iter()
        .filter_map(|(path, _, _)| {
            let last = |side: Side| {
                peels
                    .iter()
                    .rev()
                    .find(|p| p.path == *path && p.side == side)
                    .map(|p| p.threshold)
            };
            let (min, max) = (last(Side::Low), last(Side::High));
            (min.is_some() || max.is_some()).then(|| Bound {
                path: path.to_string(),
                min,
                max,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_by_their_definition() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&mut [5.0]), 5.0);
    }

    #[test]
    fn a_peel_of_tied_values_that_removes_nothing_is_no_candidate() {
        let flat = vec![1.0; 100];
        let t = Trials {
            inputs: vec![("a", InputKind::Arpu, &flat)],
            miss: (0..100).map(|i| i % 2 == 0).collect(),
        };
        let (trajectory, peels) = prim(&t, 0.05);
        assert_eq!(trajectory.len(), 1);
        assert!(peels.is_empty());
    }
}
