//! Pinned values: the first draws of every family from a fixed stream, and
//! the key numbers of a tiny run. A change here means results change for
//! the same seed: a "value-breaking" entry in CHANGELOG.md, never a silent
//! edit (after rand_distr's `tests/value_stability.rs`).

use kpisim::distr::{Beta, Dist, LogNormal, Normal, Pert, Triangular, Uniform};
use kpisim::streams::stream;

fn first_draws(d: &Dist) -> [f64; 3] {
    let mut rng = stream(7, 0);
    [d.sample(&mut rng), d.sample(&mut rng), d.sample(&mut rng)]
}

fn families() -> Vec<(&'static str, Dist)> {
    vec![
        ("uniform", Dist::Uniform(Uniform::new(2.0, 5.0).unwrap())),
        (
            "triangular",
            Dist::Triangular(Triangular::new(1.0, 2.0, 6.0).unwrap()),
        ),
        (
            "pert",
            Dist::Pert(Pert::new(3000.0, 5000.0, 9000.0).unwrap()),
        ),
        (
            "normal",
            Dist::Normal(Normal::from_mean_sd(800.0, 64.0).unwrap()),
        ),
        (
            "normal_truncated",
            Dist::Normal(
                Normal::from_p5_p95(4.8, 7.6)
                    .unwrap()
                    .truncated(Some(5.5), None)
                    .unwrap(),
            ),
        ),
        (
            "lognormal",
            Dist::LogNormal(LogNormal::from_mean_sd(6.0, 0.9).unwrap()),
        ),
        ("beta", Dist::Beta(Beta::from_mean_sd(0.519, 0.03).unwrap())),
        (
            "beta_small_shapes",
            Dist::Beta(Beta::from_alpha_beta(0.5, 0.8).unwrap()),
        ),
    ]
}

#[test]
fn first_draws_of_every_family_are_pinned() {
    let pinned: [(&str, [f64; 3]); 8] = PINNED_DRAWS;
    for ((name, d), (pname, want)) in families().iter().zip(pinned) {
        assert_eq!(*name, pname);
        assert_eq!(
            first_draws(d),
            want,
            "{name}: draws changed (value-breaking)"
        );
    }
}

#[test]
fn the_streams_are_pinned() {
    use kpisim::streams::{input_rng, input_salt, trial_key};
    use rand::Rng;
    assert_eq!(
        [trial_key(7, 0), trial_key(7, 1), input_salt(0)],
        PINNED_KEYS
    );
    let mut rng = input_rng(trial_key(7, 0), input_salt(1));
    assert_eq!([rng.next_u64(), rng.next_u64()], PINNED_STREAM);
}

#[test]
fn a_tiny_run_of_the_default_scenario_is_pinned() {
    let l =
        kpisim::scenario::load(&crate::util::root().join("scenarios/shandian-2016.toml")).unwrap();
    let cfg = kpisim::engine::Config::new(1000, 7, 2);
    let (s, _) = kpisim::commands::simulate(&l, &cfg).unwrap();
    let got = [
        s.probability.revenue,
        s.probability.profit,
        s.probability.both,
        s.annual.revenue.mean,
        s.annual.revenue.p50,
        s.annual.profit.p5,
        s.monthly[11].revenue.p50,
    ];
    assert_eq!(
        got, PINNED_RUN,
        "the default scenario's results changed for seed 7 (value-breaking)"
    );
}

const PINNED_DRAWS: [(&str, [f64; 3]); 8] = [
    (
        "uniform",
        [3.3725083052290716, 4.379225776834174, 3.6240880286899184],
    ),
    (
        "triangular",
        [2.7060745861804656, 3.9656709162218835, 2.971345764964157],
    ),
    (
        "pert",
        [5000.1035746953285, 3425.8965470197822, 4636.936426128668],
    ),
    (
        "normal",
        [792.4876578304857, 836.405004413541, 811.6490296538693],
    ),
    (
        "normal_truncated",
        [6.100092943064669, 6.684152181384162, 6.354921094195276],
    ),
    (
        "lognormal",
        [5.830629458489388, 6.459062654343668, 6.096926829380537],
    ),
    (
        "beta",
        [0.5126541745819061, 0.45403377629272557, 0.5154376780497877],
    ),
    (
        "beta_small_shapes",
        [0.4677439757533414, 0.3096699009217446, 1.670245987518281e-5],
    ),
];
const PINNED_KEYS: [u64; 3] = [
    3681697457321254924,
    555991486941709599,
    10451216379200822465,
];
const PINNED_STREAM: [u64; 2] = [12962261836186559371, 17098957205208864221];
const PINNED_RUN: [f64; 7] = [
    0.521,
    0.531,
    0.521,
    467593056.6932627,
    455394976.6681037,
    -21979897.57456889,
    57114624.0,
];
