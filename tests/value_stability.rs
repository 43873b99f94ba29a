//! Pinned values: the first draws of every family from a fixed stream, and
//! the key numbers of a tiny run. A change here means results change for
//! the same seed: a "value-breaking" entry in CHANGELOG.md, never a silent
//! edit (after rand_distr's `tests/value_stability.rs`).

use kpisim::distr::{Beta, Dist, LogNormal, Metalog, Normal, Pert, Triangular, Uniform};
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
        (
            "metalog",
            Dist::Metalog(Box::new(Metalog::new(&ARPU_QUANTILES, None, None).unwrap())),
        ),
        (
            "metalog_lower",
            Dist::Metalog(Box::new(
                Metalog::new(&ARPU_QUANTILES, Some(0.0), None).unwrap(),
            )),
        ),
    ]
}

const ARPU_QUANTILES: [(f64, f64); 3] = [(0.1, 650.0), (0.5, 800.0), (0.9, 1000.0)];

#[test]
fn first_draws_of_every_family_are_pinned() {
    let pinned: [(&str, [f64; 3]); 10] = PINNED_DRAWS;
    assert_eq!(families().len(), pinned.len());
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
        [
            trial_key(7, 0),
            trial_key(7, 1),
            input_salt("acquisition.cost_per_registration")
        ],
        PINNED_KEYS
    );
    let mut rng = input_rng(trial_key(7, 0), input_salt("acquisition.first_charge_rate"));
    assert_eq!([rng.next_u64(), rng.next_u64()], PINNED_STREAM);
}

#[test]
fn a_tiny_run_of_the_default_scenario_is_pinned() {
    let l =
        kpisim::scenario::load(&crate::util::root().join("scenarios/shandian-2016.toml")).unwrap();
    let cfg = kpisim::engine::Config::new(1000, 7, 2);
    let s = kpisim::analysis::simulate(&l, &cfg).unwrap().summary;
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

const PINNED_DRAWS: [(&str, [f64; 3]); 10] = [
    (
        "uniform",
        [4.080516194788581, 2.4880456690680304, 2.4858376789744745],
    ),
    (
        "triangular",
        [3.5241381228463493, 1.9018921490104663, 1.8998496902024566],
    ),
    (
        "pert",
        [6306.320178079242, 5846.555567353478, 3583.254118664852],
    ),
    (
        "normal",
        [831.8723184711952, 709.1788936242366, 758.007846510232],
    ),
    (
        "normal_truncated",
        [6.623871738575048, 5.641544011857672, 6.771108510844378],
    ),
    (
        "lognormal",
        [6.39118542874861, 4.801628685905686, 5.3803962071472125],
    ),
    (
        "beta",
        [0.5436611876938572, 0.5333338702561468, 0.47952675195102135],
    ),
    (
        "beta_small_shapes",
        [0.10879380842836354, 0.2373092170743807, 0.9382260753203552],
    ),
    (
        "metalog",
        [869.5301428236756, 685.2280457995511, 684.883272905785],
    ),
    (
        "metalog_lower",
        [867.878531786412, 684.6276909608009, 684.282824249417],
    ),
];
const PINNED_KEYS: [u64; 3] = [
    3681697457321254924,
    555991486941709599,
    15018151813162515714,
];
const PINNED_STREAM: [u64; 2] = [17452407763174332225, 6530721723300916221];
const PINNED_RUN: [f64; 7] = [
    0.564,
    0.577,
    0.564,
    474286383.69815326,
    463080746.1681037,
    -16869383.17456889,
    58245120.0,
];
