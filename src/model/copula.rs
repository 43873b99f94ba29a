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
//! changes nothing.
//!
//! Validation refuses a matrix that is not positive semi-definite, up to
//! rounding (an eigenvalue of -1e-9). A matrix that passes is factored by
//! Cholesky with a ridge of 1e-12 on its diagonal; one that is singular or
//! a rounding below semi-definite (ranks of 1, 1 and 0.9999999999 among
//! three inputs) defeats that, and is then factored as what it is meant to
//! be: its negative eigenvalues set to 0, its diagonal scaled back to 1,
//! and a Cholesky factor that leaves a column at 0 where the matrix has no
//! more rank, each row scaled to length 1 so that every z stays a standard
//! normal. A correlation is never dropped.

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
        let mut ridged = r.clone();
        for d in 0..k {
            ridged[(d, d)] += 1e-12;
        }
        let chol = match ridged.cholesky() {
            Some(c) => {
                let l = c.l();
                let mut chol = vec![0.0; k * k];
                for i in 0..k {
                    for j in 0..=i {
                        chol[i * k + j] = l[(i, j)];
                    }
                }
                chol
            }
            None => semidefinite_factor(r),
        };
        Some(Copula { members, chol })
    }

    /// L L', the correlation matrix of the mixed scores z, row-major.
    pub fn implied(&self) -> Vec<f64> {
        let k = self.members.len();
        let mut out = vec![0.0; k * k];
        for i in 0..k {
            for j in 0..k {
                out[i * k + j] = (0..k)
                    .map(|p| self.chol[i * k + p] * self.chol[j * k + p])
                    .sum();
            }
        }
        out
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

/// Smallest pivot taken as rank left: below it, the column is 0.
const PIVOT_TOLERANCE: f64 = 1e-10;

/// A lower-triangular L, row-major, with L L' the correlation matrix
/// nearest `r` in its eigenvalues: `r` with its negative eigenvalues set to
/// 0 and its diagonal scaled back to 1. Where a pivot leaves no rank, the
/// column is 0; each row is then scaled to length 1, which keeps every
/// z = L e a standard normal. Time: O(k^3) for k members, once a model.
fn semidefinite_factor(r: DMatrix<f64>) -> Vec<f64> {
    let k = r.nrows();
    let eigen = r.symmetric_eigen();
    let clamped = eigen.eigenvalues.map(|v| v.max(0.0));
    let mut a =
        &eigen.eigenvectors * DMatrix::from_diagonal(&clamped) * eigen.eigenvectors.transpose();
    let scale: Vec<f64> = (0..k)
        .map(|i| a[(i, i)].max(f64::MIN_POSITIVE).sqrt())
        .collect();
    for i in 0..k {
        for j in 0..k {
            a[(i, j)] /= scale[i] * scale[j];
        }
    }
    let mut l = vec![0.0_f64; k * k];
    for j in 0..k {
        let pivot = a[(j, j)] - (0..j).map(|p| l[j * k + p].powi(2)).sum::<f64>();
        if pivot <= PIVOT_TOLERANCE {
            continue;
        }
        let d = pivot.sqrt();
        l[j * k + j] = d;
        for i in j + 1..k {
            let dot: f64 = (0..j).map(|p| l[i * k + p] * l[j * k + p]).sum();
            l[i * k + j] = (a[(i, j)] - dot) / d;
        }
    }
    for i in 0..k {
        let norm = l[i * k..(i + 1) * k]
            .iter()
            .map(|x| x * x)
            .sum::<f64>()
            .sqrt();
        if norm > 0.0 {
            l[i * k..(i + 1) * k].iter_mut().for_each(|x| *x /= norm);
        } else {
            l[i * k + i] = 1.0;
        }
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(k: usize, entries: &[(usize, usize, f64)]) -> DMatrix<f64> {
        let mut r = DMatrix::<f64>::identity(k, k);
        for &(a, b, rho) in entries {
            r[(a, b)] = rho;
            r[(b, a)] = rho;
        }
        r
    }

    #[test]
    fn a_matrix_a_rounding_below_semidefinite_is_factored_not_dropped() {
        // Normal-score correlations of ranks 1, 1 and 0.9999999999: the
        // smallest eigenvalue is about -3e-11, and plain Cholesky fails.
        let rho = normal_score_correlation(0.999_999_999_9);
        let r = matrix(3, &[(0, 1, 1.0), (1, 2, 1.0), (0, 2, rho)]);
        assert!(r.clone().cholesky().is_none());
        let l = semidefinite_factor(r.clone());
        let c = Copula {
            members: vec![0, 1, 2],
            chol: l,
        };
        let implied = c.implied();
        for i in 0..3 {
            assert!((implied[i * 3 + i] - 1.0).abs() < 1e-12, "unit variance");
            for j in 0..3 {
                assert!(
                    (implied[i * 3 + j] - r[(i, j)]).abs() < 1e-6,
                    "({i}, {j}): {} against {}",
                    implied[i * 3 + j],
                    r[(i, j)]
                );
            }
        }
    }

    #[test]
    fn a_singular_matrix_keeps_its_lower_triangle() {
        let r = matrix(3, &[(0, 1, 1.0), (0, 2, 0.5), (1, 2, 0.5)]);
        let l = semidefinite_factor(r);
        for i in 0..3 {
            for j in i + 1..3 {
                assert_eq!(l[i * 3 + j], 0.0, "L is lower triangular");
            }
        }
    }
}
