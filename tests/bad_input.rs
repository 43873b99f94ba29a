//! Every kind of invalid scenario docs/scenario.md names is refused before any
//! simulation: exit 2, nothing on stdout, no output file, and one line naming
//! the file, line and column, the field's path, the value and the rule.
//!
//! The kinds: unknown fields, profiles and schedules of the wrong length,
//! rates outside [0, 1], a beta whose sd is too large for its mean, a
//! minimum above its maximum, shares of new payers not summing to 1, shocks
//! on unknown segments or out of range, months out of range, NaN and
//! infinite numbers, a cost per registration that can reach zero,
//! parameters of another family or missing ones, wrong types and broken
//! TOML; and every problem of a file is reported at once.

use crate::util::{Dir, default_scenario};

/// Replaces `from` (which must occur) in the default scenario.
fn variant(from: &str, to: &str) -> String {
    let text = default_scenario();
    assert!(text.contains(from), "the default scenario lacks {from:?}");
    text.replacen(from, to, 1)
}

/// Runs `run` on `text` with an output file and checks the refusal.
fn refused(text: &str, pieces: &[&str]) {
    let dir = Dir::new();
    dir.create("bad.toml", text);
    let run = dir
        .run(&[
            "run", "bad.toml", "-n", "1000", "-f", "json", "-o", "out.json",
        ])
        .code(2)
        .stderr_has(&["kpisim: error: bad.toml:"])
        .stderr_has(pieces);
    assert!(run.stdout().is_empty(), "stdout: {}", run.stdout());
    assert_eq!(dir.files(), ["bad.toml"], "an output file was written");
    // `check` refuses it the same way.
    dir.run(&["check", "bad.toml"]).code(2).stderr_has(pieces);
}

/// The line of the first occurrence of `needle` in `text`, 1-based, as
/// `:LINE:` for matching the `file:line:col` prefix.
fn line_of(text: &str, needle: &str) -> String {
    let line = text
        .lines()
        .position(|l| l.contains(needle))
        .expect("needle")
        + 1;
    format!("bad.toml:{line}:")
}

#[test]
fn refuses_unknown_fields() {
    let t = variant("mean = 6.0, sd = 0.9", "mean = 6.0, sdd = 0.9");
    refused(
        &t,
        &[
            "acquisition.cost_per_registration.sdd",
            "unknown field (did you mean `sd`?)",
            &line_of(&t, "sdd"),
        ],
    );
    let t = variant("[costs]", "[costs]\nbonus = 3");
    refused(&t, &["costs.bonus", "unknown field", &line_of(&t, "bonus")]);
}

#[test]
fn refuses_profile_of_wrong_length() {
    let t = variant(
        "profile = [1, 1, 1, 1, 1, 1, 1.02",
        "profile = [1, 1, 1, 1, 1, 1.02",
    );
    refused(
        &t,
        &[
            "segments[0].retention.profile",
            "[11 numbers]",
            "12 multipliers",
            &line_of(&t, "retention ="),
        ],
    );
}

#[test]
fn refuses_schedule_of_wrong_length() {
    let t = variant("infra = 1_000_000", "infra = [1_000_000, 1_000_000]");
    refused(
        &t,
        &[
            "costs.infra",
            "[2 numbers]",
            "12 numbers",
            &line_of(&t, "infra ="),
        ],
    );
}

#[test]
fn refuses_rates_outside_0_1() {
    let t = variant("creator_share = 0.65", "creator_share = 1.65");
    refused(
        &t,
        &[
            "costs.creator_share = 1.65",
            "between 0 and 1",
            &line_of(&t, "creator_share"),
        ],
    );
    let t = variant(
        "{ dist = \"beta\", mean = 0.02, sd = 0.003 }",
        "{ dist = \"uniform\", min = 0.01, max = 1.2 }",
    );
    refused(
        &t,
        &[
            "acquisition.first_charge_rate.max = 1.2",
            "a rate must lie between 0 and 1",
        ],
    );
}

#[test]
fn refuses_beta_sd_too_large_for_its_mean() {
    let t = variant("mean = 0.519, sd = 0.03", "mean = 0.519, sd = 0.6");
    refused(
        &t,
        &[
            "segments[0].retention.sd = 0.6",
            "beta sd must be below",
            &line_of(&t, "retention ="),
        ],
    );
}

#[test]
fn refuses_min_above_max() {
    let t = variant(
        "dist = \"lognormal\", mean = 6.0, sd = 0.9",
        "dist = \"uniform\", min = 7, max = 5",
    );
    refused(
        &t,
        &[
            "acquisition.cost_per_registration.max = 5",
            "min must not exceed max",
        ],
    );
    let t = variant(
        "dist = \"lognormal\", mean = 6.0, sd = 0.9",
        "dist = \"pert\", min = 7, mode = 6, max = 5",
    );
    refused(
        &t,
        &[
            "acquisition.cost_per_registration.max",
            "min must be below max",
        ],
    );
}

#[test]
fn refuses_shares_of_new_not_summing_to_1() {
    let t = variant("share_of_new = 1.0", "share_of_new = 0.8");
    refused(
        &t,
        &[
            "segments[0].share_of_new = 0.8",
            "must sum to 1",
            &line_of(&t, "share_of_new"),
        ],
    );
}

#[test]
fn refuses_a_shock_on_an_unknown_segment() {
    let t = default_scenario() + "\n[[shocks]]\nmonth = 4\nsegment = \"whales\"\nloss = 0.1\n";
    refused(
        &t,
        &[
            "shocks[0].segment = \"whales\"",
            "must name a segment",
            &line_of(&t, "\"whales\""),
        ],
    );
}

#[test]
fn refuses_shocks_out_of_range() {
    let t = default_scenario() + "\n[[shocks]]\nmonth = 13\nsegment = \"all\"\nloss = 1.5\n";
    refused(&t, &["shocks[0].month = 13", "shocks[0].loss = 1.5"]);
}

#[test]
fn refuses_months_out_of_range() {
    let t = variant("months = 12", "months = 0");
    refused(
        &t,
        &["months = 0", "from 1 to 120", &line_of(&t, "months = 0")],
    );
    let t = variant("months = 12", "months = 121");
    refused(&t, &["months = 121", "from 1 to 120"]);
}

#[test]
fn refuses_nan_and_infinite_numbers() {
    let t = variant("mean = 0.02, sd = 0.003", "mean = nan, sd = 0.003");
    refused(
        &t,
        &[
            "acquisition.first_charge_rate.mean = nan",
            "finite",
            &line_of(&t, "nan"),
        ],
    );
    let t = variant("revenue = 450_000_000", "revenue = inf");
    refused(
        &t,
        &["targets.revenue = inf", "finite", &line_of(&t, "inf")],
    );
}

#[test]
fn refuses_a_cost_per_registration_that_can_reach_zero() {
    let t = variant(
        "dist = \"lognormal\", mean = 6.0, sd = 0.9",
        "dist = \"normal\", mean = 6.0, sd = 0.9",
    );
    refused(
        &t,
        &[
            "acquisition.cost_per_registration.dist = \"normal\"",
            "above 0",
        ],
    );
    let t = variant(
        "dist = \"lognormal\", mean = 6.0, sd = 0.9",
        "dist = \"uniform\", min = 0, max = 9",
    );
    refused(
        &t,
        &["acquisition.cost_per_registration.min = 0", "above 0"],
    );
}

#[test]
fn refuses_parameters_of_another_family_and_missing_ones() {
    let t = variant("mean = 6.0, sd = 0.9", "mean = 6.0, sd = 0.9, mode = 5");
    refused(
        &t,
        &[
            "acquisition.cost_per_registration.mode = 5",
            "not a parameter of lognormal",
        ],
    );
    let t = variant("mean = 6.0, sd = 0.9", "mean = 6.0");
    refused(&t, &["acquisition.cost_per_registration.sd", "missing"]);
    let t = variant("mean = 6.0, sd = 0.9", "mean = 6.0, sd = 0.9, p5 = 5");
    refused(&t, &["acquisition.cost_per_registration", "not both"]);
    let t = variant("dist = \"lognormal\"", "dist = \"gamma\"");
    refused(
        &t,
        &[
            "acquisition.cost_per_registration.dist = \"gamma\"",
            "must be one of fixed, uniform, triangular, pert, normal, lognormal, beta",
        ],
    );
}

#[test]
fn refuses_wrong_types_and_broken_toml() {
    let t = variant("months = 12", "months = \"twelve\"");
    refused(
        &t,
        &[
            "months = \"twelve\"",
            "must be a whole number, not a string",
        ],
    );
    refused("name = \"x\n", &["bad.toml:1:"]);
    refused(
        "name = \"x\"\n",
        &["months", "is missing: give a whole number"],
    );
}

#[test]
fn reports_every_problem_at_once() {
    let t = variant("creator_share = 0.65", "creator_share = -0.1").replacen(
        "share_of_new = 1.0",
        "share_of_new = 0.5",
        1,
    );
    let dir = Dir::new();
    dir.create("bad.toml", &t);
    let run = dir.run(&["check", "bad.toml"]).code(2);
    assert_eq!(run.stderr().lines().count(), 2, "{}", run.stderr());
}
