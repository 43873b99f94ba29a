//! One test per problem found by trying kpisim as a new user would and with
//! hostile inputs (issue 9): numbers that leave finite arithmetic, limits
//! that exhaust the machine, and what a newcomer meets in the first hour.
//!
//! What it pins: inputs that would overflow the model are refused naming
//! the input, and a run that still leaves finite numbers stops naming the
//! input and month (exit 2); fixed inputs give bands equal to the plan, and
//! no percentile leaves the observed range; limits (trials, threads, sweep
//! steps, file size) are refused before any work, and a run larger than
//! the memory before it allocates;
//! negative option values are refused in words, counts take the forms
//! people write (`1e6`, `1_000_000`), and the format follows `--output`'s
//! extension; batch rows show their files; numbers show without float
//! noise, and a number with a unit is explained; every structural problem
//! is reported at once; completions and a man page are generated; and the
//! README and the scenario comments tell the truth.

use kpisim::analysis::simulate;
use kpisim::engine::Config;
use kpisim::scenario::from_bytes;

use crate::util::{Dir, default_scenario, root};

/// Replaces `from` (which must occur) in the default scenario.
fn variant(from: &str, to: &str) -> String {
    let text = default_scenario();
    assert!(text.contains(from), "the default scenario lacks {from:?}");
    text.replacen(from, to, 1)
}

const ARPU: &str = "arpu = { dist = \"normal\", mean = 800, sd = 64, noise_cv = 0.05, profile = [1, 1, 1, 1, 1, 1, 1.0625, 1.1, 1.1375, 1.175, 1.2125, 1.25] }";
const RETENTION: &str = "retention = { dist = \"beta\", mean = 0.519, sd = 0.03, profile = [1, 1, 1, 1, 1, 1, 1.02, 1.04, 1.06, 1.08, 1.1, 1.12] }";
const CPR: &str = "cost_per_registration = { dist = \"lognormal\", mean = 6.0, sd = 0.9 }";

/// `check` refuses `text` with exit 2 and every piece on stderr.
fn refused(text: &str, pieces: &[&str]) {
    let dir = Dir::new();
    dir.create("bad.toml", text);
    dir.run(&["check", "bad.toml"])
        .code(2)
        .stderr_has(&["kpisim: error: bad.toml:"])
        .stderr_has(pieces);
}

#[test]
fn inputs_that_would_overflow_the_model_are_refused_naming_the_input() {
    refused(
        &variant(ARPU, "arpu = 1e308"),
        &["segments[0].arpu = 1e308", "ARPU could reach", "finite"],
    );
    refused(
        &variant("budget = [2_430_000", "budget = [1e300"),
        &[
            "marketing.budget[0] = 1e300",
            "must be at most 1e15 in size",
        ],
    );
    refused(
        &variant("start_payers = 21_700", "start_payers = 1e308"),
        &["segments[0].start_payers = 1e308", "must be at most 1e12"],
    );
    refused(
        &variant(CPR, "cost_per_registration = 1e-300"),
        &[
            "acquisition.cost_per_registration = 1e-300",
            "the cost per registration could fall to 1e-300",
        ],
    );
    refused(
        &variant(
            CPR,
            "cost_per_registration = { dist = \"lognormal\", mean = 6.0, sd = 1e200 }",
        ),
        &[
            "acquisition.cost_per_registration.sd = 1e200",
            "could fall to",
        ],
    );
    refused(
        &variant(
            ARPU,
            "arpu = { dist = \"normal\", mean = 800, sd = 64, profile = [1e30, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] }",
        ),
        &["segments[0].arpu.profile[0] = 1e30", "ARPU could reach"],
    );
}

#[test]
fn a_pert_too_wide_for_floating_point_names_the_real_rule() {
    refused(
        &variant(
            ARPU,
            "arpu = { dist = \"pert\", min = -1e308, mode = 0, max = 1e308 }",
        ),
        &[
            "segments[0].arpu.max = 1e308",
            "max - min must be a finite number",
        ],
    );
}

#[test]
fn a_run_that_leaves_finite_numbers_stops_naming_the_input_and_month() {
    // Validation keeps files from getting here; a scenario built in code
    // can, and the engine must stop rather than print infinities.
    let mut l = from_bytes("s.toml", default_scenario().as_bytes()).unwrap();
    let arpu = &mut l.scenario.segments[0].arpu;
    arpu.dist = kpisim::distr::Dist::Fixed(800.0);
    arpu.profile[2] = 1e306;
    let err = kpisim::error::Error::from(simulate(&l, &Config::new(1000, 7, 2)).unwrap_err());
    assert_eq!(err.exit_code(), 2);
    let msg = err.to_string();
    for piece in ["month 3", "segments.all.arpu", "revenue became inf"] {
        assert!(msg.contains(piece), "{piece:?} not in {msg}");
    }
}

#[test]
fn fixed_inputs_give_bands_that_equal_the_plan_exactly() {
    let text = variant(CPR, "cost_per_registration = 6.0")
        .replacen(
            "first_charge_rate = { dist = \"beta\", mean = 0.02, sd = 0.003 }",
            "first_charge_rate = 0.02",
            1,
        )
        .replacen(
            RETENTION,
            "retention = { dist = \"fixed\", value = 0.519, profile = [1, 1, 1, 1, 1, 1, 1.02, 1.04, 1.06, 1.08, 1.1, 1.12] }",
            1,
        )
        .replacen(
            ARPU,
            "arpu = { dist = \"fixed\", value = 800, profile = [1, 1, 1, 1, 1, 1, 1.0625, 1.1, 1.1375, 1.175, 1.2125, 1.25] }",
            1,
        );
    let l = from_bytes("fixed.toml", text.as_bytes()).unwrap();
    let plan = kpisim::model::Model::compile(&l.scenario).point_plan();
    let s = simulate(&l, &Config::new(20_000, 7, 2)).unwrap().summary;
    for (m, p) in s.monthly.iter().zip(&plan.monthly) {
        for (band, want) in [
            (&m.registrations, p.registrations),
            (&m.payers, p.payers),
            (&m.revenue, p.revenue),
            (&m.profit, p.profit),
        ] {
            assert_eq!(band.percentiles(), [want; 7], "month {}", m.month);
        }
    }
    assert_eq!(s.annual.revenue.percentiles(), [plan.annual.revenue; 7]);
}

#[test]
fn a_percentile_never_leaves_the_observed_range() {
    // Beta(0.01, 1) drawn every month: retention is nearly always 0 and
    // revenue tiny; it once gave a negative revenue P5.
    let text = variant(
        RETENTION,
        "retention = { dist = \"beta\", alpha = 0.01, beta = 1, vary = \"month\" }",
    );
    let l = from_bytes("b.toml", text.as_bytes()).unwrap();
    let s = simulate(&l, &Config::new(2000, 7, 2)).unwrap().summary;
    assert!(s.annual.revenue.p5 >= 0.0, "{:?}", s.annual.revenue);
    for m in &s.monthly {
        for b in [&m.old_payers, &m.payers, &m.revenue] {
            let p = b.percentiles();
            assert!(p.iter().all(|x| *x >= 0.0), "month {}: {p:?}", m.month);
        }
    }
}

#[test]
fn limits_are_refused_before_any_work() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    dir.run(&["run", "s.toml", "--trials", "500000001"])
        .code(2)
        .stderr_has(&["--trials 500000001: must be from 1 to 500,000,000"]);
    dir.run(&["run", "s.toml", "--threads", "10000"])
        .code(2)
        .stderr_has(&["--threads 10000: must be from 1 to 256"]);
    for steps in ["100000000000", "18446744073709551615"] {
        dir.run(&[
            "sweep",
            "s.toml",
            "--set",
            "marketing.budget",
            "--from",
            "0.5",
            "--to",
            "2",
            "--steps",
            steps,
        ])
        .code(2)
        .stderr_has(&["--steps", "must be from 2 to 1001"]);
    }
    dir.run(&["run", "/dev/zero"])
        .code(2)
        .stderr_has(&["/dev/zero: is larger than 1048576 bytes"]);
    assert_eq!(dir.files(), ["s.toml"]);
}

#[test]
fn a_run_larger_than_the_memory_is_refused_before_it_allocates() {
    let l = from_bytes("s.toml", default_scenario().as_bytes()).unwrap();
    let cfg = Config {
        memory_limit: Some(10_000_000),
        ..Config::new(2_000_000, 7, 2)
    };
    let model = kpisim::model::Model::compile(&l.scenario);
    assert!(kpisim::engine::memory_needed(&model, &cfg, cfg.trials) > 16_000_000);
    let err = kpisim::error::Error::from(simulate(&l, &cfg).unwrap_err());
    assert_eq!(err.exit_code(), 2);
    assert!(
        err.to_string()
            .contains("2,000,000 trials need about 37.6 MB")
            || err.to_string().contains("has 10.0 MB available"),
        "{err}"
    );
}

#[test]
fn negative_option_values_parse_and_are_refused_in_words() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    dir.run(&["kpis", "s.toml", "--confidence", "-0.1"])
        .code(2)
        .stderr_has(&["--confidence -0.1: must be a fraction between 0 and 1"]);
    dir.run(&[
        "sweep",
        "s.toml",
        "--set",
        "marketing.budget",
        "--from",
        "-inf",
        "--to",
        "2",
    ])
    .code(2)
    .stderr_has(&["--from -inf: must be a finite number"]);
    let run = dir.run(&["run", "s.toml", "--seed", "-1"]).code(2);
    let err = run.stderr();
    assert!(err.contains("a seed is a whole number from 0"), "{err}");
    assert!(!err.contains("-- -1"), "a tip that does not work: {err}");
}

#[test]
fn counts_take_the_forms_people_write() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    for n in ["1e4", "10_000", "10,000"] {
        let j = dir.run(&["run", "s.toml", "-n", n, "-f", "json"]).json();
        assert_eq!(j["trials"], 10_000, "{n}");
    }
    dir.run(&["run", "s.toml", "-n", "abc"])
        .code(2)
        .stderr_has(&["is not a number; give a whole number such as 1000000"]);
}

#[test]
fn the_format_follows_the_output_extension() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    dir.run(&["run", "s.toml", "-n", "1000", "-o", "report.csv"])
        .code(0);
    let csv = std::fs::read_to_string(dir.path("report.csv")).unwrap();
    assert!(csv.starts_with("scenario,file,scope,"), "{csv}");
    dir.run(&["run", "s.toml", "-n", "1000", "-o", "report.json"])
        .code(0);
    let json = std::fs::read_to_string(dir.path("report.json")).unwrap();
    assert!(json.starts_with('{'), "{json}");
    // --format wins over the extension.
    dir.run(&["run", "s.toml", "-n", "1000", "-f", "table", "-o", "t.json"])
        .code(0);
    assert!(
        std::fs::read_to_string(dir.path("t.json"))
            .unwrap()
            .contains("P(hit)")
    );
    dir.run(&["run", "s.toml", "-n", "1000", "--trials-out", "trials.csv"])
        .code(0);
    let trials = std::fs::read_to_string(dir.path("trials.csv")).unwrap();
    assert!(
        trials.starts_with("trial,revenue,profit,hit_revenue"),
        "{trials}"
    );
    assert_eq!(trials.lines().count(), 1001);
    dir.run(&["run", "s.toml", "-n", "1000", "-o", "r.parquet"])
        .code(2)
        .stderr_has(&["--trials-out"]);
}

#[test]
fn batch_rows_of_scenarios_with_one_name_show_their_files() {
    let dir = Dir::new();
    dir.create("a.toml", &default_scenario());
    dir.create(
        "b.toml",
        &variant("revenue = 450_000_000", "revenue = 400_000_000"),
    );
    let table = dir.run(&["run", "a.toml", "b.toml", "-n", "2000"]).ok();
    let batch = &table[table.find("batch summary").unwrap()..];
    assert!(
        batch.contains("a.toml") && batch.contains("b.toml"),
        "{batch}"
    );
}

#[test]
fn help_of_stress_and_sweep_describes_their_own_csv() {
    let dir = Dir::new();
    let stress = dir.run(&["stress", "--help"]).ok();
    assert!(
        stress.contains("case,p_revenue,p_profit,p_both"),
        "{stress}"
    );
    let sweep = dir.run(&["sweep", "--help"]).ok();
    assert!(sweep.contains("value,p_revenue,p_profit,p_both"), "{sweep}");
    let run = dir.run(&["run", "--help"]).ok();
    assert!(run.contains("scenario,file,scope,segment"), "{run}");
}

#[test]
fn numbers_show_without_float_noise() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    // 0.1 + 2 × 0.1 is 0.30000000000000004 untidied.
    let sweep = [
        "sweep",
        "s.toml",
        "--set",
        "marketing.budget",
        "--from",
        "0.1",
        "--to",
        "1.1",
        "--steps",
        "11",
        "-n",
        "1000",
    ];
    let mut args = sweep.to_vec();
    args.extend(["-f", "json"]);
    let j = dir.run(&args).json();
    let values: Vec<f64> = j["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].as_f64().unwrap())
        .collect();
    assert_eq!(
        values,
        [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1]
    );
    let table = dir.run(&sweep).ok();
    assert!(!table.contains("0000000"), "{table}");
    let run = dir
        .run(&[
            "sweep",
            "s.toml",
            "--set",
            "segments.all.retention.mean",
            "--from",
            "1.3",
            "--to",
            "0.1",
            "--steps",
            "13",
            "-n",
            "1000",
        ])
        .code(2)
        .stderr_has(&["segments.all.retention.mean = 1.3:"]);
    assert!(!run.stderr().contains("9999"), "{}", run.stderr());
}

#[test]
fn a_number_with_a_unit_is_explained() {
    let text = variant("revenue = 450_000_000", "revenue = 450M");
    refused(
        &text,
        &["targets.revenue: `450M` is not a number", "450_000_000"],
    );
    let text = default_scenario() + "\n[[shocks]]\nmonth = 4\nsegment = all\nloss = 0.1\n";
    refused(
        &text,
        &["shocks[0].segment: `all` is not a value: quote text"],
    );
}

#[test]
fn every_structural_problem_is_reported_at_once() {
    let text = variant("months = 12", "months = \"twelve\"")
        .replacen("[costs]", "[costs]\nbonus = 3", 1)
        .replacen("staff = 2_000_000", "staff = \"2M\"", 1)
        + "\n[[stress]]\nname = \"a\"\nshocks = [{ month = \"x\", segment = \"all\", loss = 0.1 }]\n\
           [[stress]]\nname = \"b\"\nshocks = [{ month = 2, segment = \"all\", los = 0.1 }]\n";
    let dir = Dir::new();
    dir.create("bad.toml", &text);
    let run = dir.run(&["check", "bad.toml"]).code(2);
    let err = run.stderr();
    for piece in [
        "months = \"twelve\": must be a whole number, not a string",
        "costs.bonus = 3: unknown field",
        "costs.staff = \"2M\": must be a number, or a list of one number per month, not a string",
        "stress[0].shocks[0].month = \"x\"",
        "stress[1].shocks[0].los = 0.1: unknown field (did you mean `loss`?)",
        "stress[1].shocks[0].loss: is missing",
    ] {
        assert!(err.contains(piece), "{piece:?} not in\n{err}");
    }
}

#[test]
fn completions_and_a_man_page_are_generated() {
    let dir = Dir::new();
    let bash = dir.run(&["completions", "bash"]).ok();
    assert!(
        bash.contains("_kpisim") && bash.contains("--trials"),
        "{bash}"
    );
    let man = dir.run(&["man"]).ok();
    assert!(
        man.contains(".TH kpisim") || man.contains(".TH KPISIM"),
        "{man}"
    );
}

#[test]
fn the_readme_and_the_scenario_comments_tell_the_truth() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(!readme.contains("year-long fade"), "README claims a fade");
    let scenario = default_scenario();
    let l = from_bytes("s.toml", scenario.as_bytes()).unwrap();
    let plan = kpisim::model::Model::compile(&l.scenario).point_plan();
    let revenue = kpisim::present::human(plan.annual.revenue);
    let profit = kpisim::present::human(plan.annual.profit);
    assert!(
        scenario.contains(&format!("{revenue} revenue and {profit}")),
        "the scenario's comment does not say {revenue} and {profit}"
    );
}
