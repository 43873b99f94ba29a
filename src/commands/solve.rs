//! `kpisim solve`: what it takes to reach a target with a confidence.

use super::{emit, note_precision, sim};
use crate::analysis::{BISECTIONS, GRID, Question, solve_report};
use crate::error::Result;
use crate::export::render;
use crate::options::SolveOptions;

/// Runs `kpisim solve`.
pub fn solve(opts: &SolveOptions) -> Result<()> {
    let loaded = super::load(&opts.scenario)?;
    let runs = (GRID + BISECTIONS + usize::from(opts.monthly)) as u64;
    let question = Question {
        lever: opts.lever.clone(),
        confidence: opts.confidence,
        target: opts.target,
        range: opts.range,
        monthly: opts.monthly,
    };
    let report = solve_report(&loaded, &question, sim(&opts.sim, runs))?;
    note_precision(&report.header);
    emit(
        &opts.out,
        &render(&report, opts.out.format, opts.out.as_of)?,
    )
}
