//! Parts of a scenario's year as scenarios of their own: the months left
//! after some actual ones (`track`), and a few months of a fitted plan run
//! on a history's own spend (`fit --holdout`). Built from a validated
//! scenario, they keep its invariants: every schedule and profile has one
//! value a month.

use super::{Scenario, Targets, YearMonth};

impl Scenario {
    /// Months `k + 1..=months` as a scenario: schedules and profiles cut,
    /// shocks moved to their new month numbers (those in the first k months
    /// dropped), month 1 labelled as month k + 1 was, each segment starting
    /// from `start_payers`, and `targets` what is left to reach.
    ///
    /// # Panics
    /// If `k >= months` or `start_payers` has not one value a segment.
    pub fn rest_after(&self, k: usize, start_payers: &[f64], targets: Targets) -> Scenario {
        assert!(k < self.months, "a rest of the year has at least one month");
        assert_eq!(start_payers.len(), self.segments.len());
        let cut = |v: &Vec<f64>| v[k..].to_vec();
        let mut s = self.clone();
        s.months = self.months - k;
        s.start = self.start.and_then(|st| YearMonth::parse(&st.label(k + 1)));
        s.targets = targets;
        s.staff = cut(&self.staff);
        s.infra = cut(&self.infra);
        s.per_payer = cut(&self.per_payer);
        s.budget = cut(&self.budget);
        for input in s.inputs_mut() {
            input.profile = cut(&input.profile);
        }
        for (seg, &p) in s.segments.iter_mut().zip(start_payers) {
            seg.start_payers = p;
        }
        s.shocks = self
            .shocks
            .iter()
            .filter(|sh| sh.month > k)
            .map(|sh| super::Shock {
                month: sh.month - k,
                ..*sh
            })
            .collect();
        s.stress.clear();
        s
    }

    /// This scenario's inputs run over `budget.len()` months of other
    /// spend from `start_payers`: every profile 1, staff, infra and the
    /// cost per payer 0, no shocks or stress cases, month 1 labelled
    /// `start`.
    pub fn over(
        &self,
        start: Option<YearMonth>,
        budget: Vec<f64>,
        start_payers: &[f64],
    ) -> Scenario {
        assert_eq!(start_payers.len(), self.segments.len());
        let months = budget.len();
        let mut s = self.clone();
        s.months = months;
        s.start = start;
        s.staff = vec![0.0; months];
        s.infra = vec![0.0; months];
        s.per_payer = vec![0.0; months];
        s.budget = budget;
        for input in s.inputs_mut() {
            input.profile = vec![1.0; months];
        }
        for (seg, &p) in s.segments.iter_mut().zip(start_payers) {
            seg.start_payers = p;
        }
        s.shocks.clear();
        s.stress.clear();
        s
    }

    /// Every uncertain input, mutably, in the order of [`Scenario::inputs`].
    pub fn inputs_mut(&mut self) -> Vec<&mut super::Input> {
        let mut v = vec![&mut self.cost_per_registration, &mut self.first_charge_rate];
        v.extend(self.spend_elasticity.as_mut());
        for s in &mut self.segments {
            v.push(&mut s.retention);
            v.push(&mut s.arpu);
        }
        v
    }
}
