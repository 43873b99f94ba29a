//! Correlated inputs: a Gaussian copula on the inputs' drawn levels D.
//!
//! Each correlated input draws a standard normal score ε from its own
//! stream where it would draw D; the scores of a trial (or of a month, for
//! inputs drawn every month) are mixed by the Cholesky factor L of the
//! normal-score correlation matrix, z = L ε, and each input takes
//! D = Q(Φ(z)) through its own quantile function, so that it keeps its own
//! distribution and the pairs reach the asked rank correlations.
//!
//! The members are ordered inputs drawn once a trial first, then those
//! drawn every month, each group by path: L is lower triangular, so a
//! once-a-trial input's z mixes only once-a-trial scores and stays the same
//! every month, while a monthly input's z mixes in its fresh monthly score;
//! and the order, not the file, decides L, so that reordering a file
//! changes nothing. A semi-definite matrix (validation refuses anything
//! less) is factored with a ridge of 1e-12 on its diagonal.

use nalgebra::DMatrix;

use super::CompiledInput;
use crate::scenario::Correlation;
use crate::scenario::validate::normal_score_correlation;

/// The copula of a model.
#[derive(Debug, Clone)]
pub struct Copula {
    /// Input indices, in the order of L's rows.
    pub(crate) members: Vec<usize>,
    /// L, row-major, `members.len()` squared.
    pub(crate) chol: Vec<f64>,
}

impl Copula {
    /// The copula of `correlations` among `inputs` (with their paths), or
    /// `None` without correlations.
    pub fn new(
        correlations: &[Correlation],
        inputs: &[CompiledInput],
        paths: &[String],
    ) -> Option<Self> {
        if correlations.is_empty() {
            return None;
        }
        let mut members: Vec<usize> = correlations.iter().flat_map(|c| c.between).collect();
        members.sort_by(|a, b| {
            (inputs[*a].per_month, &paths[*a]).cmp(&(inputs[*b].per_month, &paths[*b]))
        });
        members.dedup();
        let k = members.len();
        let at = |i: usize| members.iter().position(|m| *m == i).expect("a member");
        let mut r = DMatrix::<f64>::identity(k, k);
        for c in correlations {
            let (a, b) = (at(c.between[0]), at(c.between[1]));
            let rho = normal_score_correlation(c.rank);
            r[(a, b)] = rho;
            r[(b, a)] = rho;
        }
        for d in 0..k {
            r[(d, d)] += 1e-12;
        }
        let l = r.cholesky()?.l();
        let mut chol = vec![0.0; k * k];
        for i in 0..k {
            for j in 0..=i {
                chol[i * k + j] = l[(i, j)];
            }
        }
        Some(Copula { members, chol })
    }

    /// Mixes the scores `e` (in member order) into `z = L e`.
    #[inline]
    pub(crate) fn mix(&self, e: &[f64], z: &mut [f64]) {
        let k = self.members.len();
        for (i, zi) in z.iter_mut().enumerate().take(k) {
            let row = &self.chol[i * k..i * k + i + 1];
            *zi = row.iter().zip(e).map(|(l, x)| l * x).sum();
        }
    }
}
