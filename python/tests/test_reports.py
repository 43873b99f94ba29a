"""Every analysis returns what `kpisim COMMAND --format json` prints for the
same arguments, equal once parsed; `toml=` gives the same but for `file`
and `scenario_sha256`; `set=` is a `[[stress]]` case's `set`."""

import hashlib

import pytest

import kpisim
from conftest import ROOT

DEFAULT = "scenarios/shandian-2016.toml"
BIGR = "scenarios/shandian-2016-bigr.toml"
N = 20_000

# (function, its keyword arguments, the CLI's arguments after the scenario)
CALLS = [
    ("run", dict(trials=N, seed=11), ["run", "-n", N, "-s", 11]),
    ("run", dict(trials=N, sampling="lhs", threads=1), ["run", "-n", N, "--sampling", "lhs", "-j", 1]),
    ("stress", dict(trials=N), ["stress", "-n", N]),
    (
        "stress",
        dict(trials=N, cases=["big-R spending cut", "big-R exodus", "big-R spending cut"]),
        ["stress", "-n", N, "--case", "big-R spending cut", "--case", "big-R exodus"],
    ),
    (
        "sweep",
        dict(trials=N, path="segments.big_r.retention.mean", start=0.5, stop=0.7, steps=3, level=0.6),
        ["sweep", "-n", N, "--set", "segments.big_r.retention.mean", "--from", 0.5, "--to", 0.7, "--steps", 3, "--level", 0.6],
    ),
    (
        "sweep",
        dict(trials=N, path="marketing.budget", start=0.8, stop=1.2),
        ["sweep", "-n", N, "--set", "marketing.budget", "--from", 0.8, "--to", 1.2],
    ),
    ("kpis", dict(trials=N), ["kpis", "-n", N]),
    ("kpis", dict(trials=N, confidence=0.8, seed=3), ["kpis", "-n", N, "--confidence", 0.8, "-s", 3]),
    ("sensitivity", dict(trials=N), ["sensitivity", "-n", N]),
    (
        "solve",
        dict(trials=N, lever="marketing.budget", confidence=0.6),
        ["solve", "-n", N, "--lever", "marketing.budget", "--confidence", 0.6],
    ),
    (
        "solve",
        dict(trials=N, lever="segments.big_r.arpu.mean", confidence=0.7, target="revenue", min=2500, max=5000, monthly=True),
        ["solve", "-n", N, "--lever", "segments.big_r.arpu.mean", "--confidence", 0.7, "--target", "revenue", "--min", 2500, "--max", 5000, "--monthly"],
    ),
    ("explain", dict(trials=N), ["explain", "-n", N]),
    (
        "explain",
        dict(trials=N, target="profit", density=0.6, min_mass=0.1),
        ["explain", "-n", N, "--target", "profit", "--density", 0.6, "--min-mass", 0.1],
    ),
]


def _id(call):
    name, kwargs, _ = call
    return name + "-" + "-".join(f"{k}" for k in kwargs if k != "trials")


@pytest.mark.parametrize("call", CALLS, ids=[_id(c) for c in CALLS])
def test_each_function_prints_what_the_cli_prints(cli, call):
    name, kwargs, args = call
    got = getattr(kpisim, name)(BIGR, **kwargs)
    want = cli.json(args[0], BIGR, *args[1:])
    assert got == want
    assert got["file"] == BIGR and got["trials"] == N


@pytest.mark.parametrize("call", CALLS[::2], ids=[_id(c) for c in CALLS[::2]])
def test_toml_text_gives_the_same_report_but_file_and_hash(call):
    name, kwargs, _ = call
    text = (ROOT / BIGR).read_text(encoding="utf-8")
    from_path = getattr(kpisim, name)(BIGR, **kwargs)
    from_text = getattr(kpisim, name)(toml=text, **kwargs)
    assert from_text["file"] is None
    assert from_text["scenario_sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert from_text["scenario_sha256"] == from_path["scenario_sha256"]
    for report in (from_path, from_text):
        del report["file"]
    assert from_text == from_path


def test_toml_text_is_hashed_as_given():
    text = (ROOT / DEFAULT).read_text(encoding="utf-8") + "\n# a comment changes the hash, not the run\n"
    edited = kpisim.run(toml=text, trials=N)
    plain = kpisim.run(DEFAULT, trials=N)
    assert edited["scenario_sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert edited["scenario_sha256"] != plain["scenario_sha256"]
    assert edited["probability"] == plain["probability"]


def test_set_is_what_a_stress_case_set_does(cli):
    stressed = cli.json("stress", BIGR, "-n", N, "--case", "big-R retention drop")
    case = stressed["cases"][1]
    assert case["name"] == "big-R retention drop"
    # The case's own line: set = { "segments.big_r.retention.mean" = 0.55 }.
    r = kpisim.run(BIGR, trials=N, set={"segments.big_r.retention.mean": 0.55})
    assert r["probability"] == case["probability"]
    assert r["standard_error"] == case["standard_error"]
    for figure in ("revenue", "profit"):
        for stat in ("p5", "p50", "mean"):
            assert r["annual"][figure][stat] == case["annual"][figure][stat]
    base = kpisim.run(BIGR, trials=N)
    assert base["probability"] == stressed["cases"][0]["probability"]
    assert r["probability"] != base["probability"]


def test_set_is_the_file_edited(cli, tmp_path):
    text = (ROOT / DEFAULT).read_text(encoding="utf-8")
    written = 'retention = { dist = "beta", mean = 0.519,'
    assert text.count(written) == 1
    edited = tmp_path / "edited.toml"
    edited.write_text(
        text.replace(written, 'retention = { dist = "beta", mean = 0.5,')
        .replace("revenue = 450_000_000", "revenue = 430_000_000"),
        encoding="utf-8",
    )
    want = cli.json("run", edited, "-n", N)
    got = kpisim.run(
        DEFAULT,
        trials=N,
        set={"segments.all.retention.mean": 0.5, "targets.revenue": 430_000_000},
    )
    for key in ("file", "scenario_sha256"):
        assert got.pop(key) != want.pop(key)
    assert got == want


def test_set_edits_the_scenario_before_its_stress_cases(cli):
    # Every case is applied on top of the edited scenario: a higher revenue
    # target lowers the baseline and every case alike.
    got = kpisim.stress(BIGR, trials=N, set={"targets.revenue": 500_000_000})
    plain = cli.json("stress", BIGR, "-n", N)
    assert [c["name"] for c in got["cases"]] == [c["name"] for c in plain["cases"]]
    assert got["targets"]["revenue"] == 500_000_000
    for edited, case in zip(got["cases"], plain["cases"]):
        assert edited["probability"]["revenue"] < case["probability"]["revenue"]


def test_set_takes_whole_inputs_as_tables():
    dist = {"dist": "normal", "mean": 800, "sd": 1}
    narrow = kpisim.run(DEFAULT, trials=N, set={"segments.all.arpu": dist})
    wide = kpisim.run(DEFAULT, trials=N)
    assert narrow["standard_error"] != wide["standard_error"]
    spread = lambda r: r["annual"]["revenue"]["p95"] - r["annual"]["revenue"]["p5"]
    assert spread(narrow) < spread(wide)


def test_results_do_not_depend_on_threads():
    one = kpisim.sensitivity(DEFAULT, trials=N, threads=1)
    two = kpisim.sensitivity(DEFAULT, trials=N, threads=2)
    assert one == two


def test_defaults_are_the_clis(cli):
    # kpisim's own defaults: 1,000,000 trials and seed 7, one thread a core.
    got = kpisim.run(DEFAULT)
    want = cli.json("run", DEFAULT)
    assert got == want
    assert (got["trials"], got["seed"], got["sampling"]) == (1_000_000, 7, "mc")


def test_a_path_object_is_a_path(cli):
    got = kpisim.kpis(ROOT / DEFAULT, trials=N)
    assert got["file"] == str(ROOT / DEFAULT)
    assert got == cli.json("kpis", ROOT / DEFAULT, "-n", N)
