"""Errors: a scenario's raise ScenarioError with the CLI's message, anything
else Error; ScenarioError is an Error. Warnings are the CLI's too."""

import warnings

import pytest

import kpisim
from conftest import ROOT

DEFAULT = "scenarios/shandian-2016.toml"
BIGR = "scenarios/shandian-2016-bigr.toml"


def test_scenario_error_is_an_error():
    assert issubclass(kpisim.ScenarioError, kpisim.Error)
    assert issubclass(kpisim.Error, Exception)
    assert not issubclass(kpisim.Error, kpisim.ScenarioError)


def test_a_missing_file_is_a_scenario_error_with_the_clis_message(cli):
    with pytest.raises(kpisim.ScenarioError) as e:
        kpisim.run("scenarios/no-such.toml", trials=10)
    assert str(e.value) == cli.error("run", "scenarios/no-such.toml", "-n", 10)
    assert "no-such.toml" in str(e.value)


def test_a_directory_is_a_scenario_error(cli):
    with pytest.raises(kpisim.ScenarioError) as e:
        kpisim.kpis("scenarios", trials=10)
    assert str(e.value) == cli.error("kpis", "scenarios", "-n", 10)


def _invalid(tmp_path):
    text = (ROOT / DEFAULT).read_text(encoding="utf-8")
    bad = text.replace("creator_share = 0.65", "creator_share = 65").replace(
        "operations_rate = 0.05", "operations_rate = -1"
    )
    assert bad != text
    path = tmp_path / "bad.toml"
    path.write_text(bad, encoding="utf-8")
    return bad, path


def test_an_invalid_scenario_gives_every_problem_as_the_cli_does(cli, tmp_path):
    text, path = _invalid(tmp_path)
    with pytest.raises(kpisim.ScenarioError) as e:
        kpisim.run(str(path), trials=10)
    want = cli.error("run", path, "-n", 10)
    assert str(e.value) == want
    assert len(want.splitlines()) >= 2


def test_invalid_toml_text_names_the_file_toml(cli, tmp_path):
    text, path = _invalid(tmp_path)
    with pytest.raises(kpisim.ScenarioError) as e:
        kpisim.sensitivity(toml=text, trials=10)
    # The same messages, naming <toml> where the CLI names the file.
    assert str(e.value) == cli.error("run", path, "-n", 10).replace(str(path), "<toml>")
    assert str(e.value).startswith("<toml>:")


def test_toml_that_does_not_parse(cli, tmp_path):
    text = "name = \"x\"\nmonths = 12\n[targets]\nrevenue = 450M\n"
    path = tmp_path / "syntax.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(kpisim.ScenarioError) as e:
        kpisim.run(toml=text, trials=10)
    assert str(e.value) == cli.error("run", path, "-n", 10).replace(str(path), "<toml>")


def test_a_set_that_cannot_apply_is_a_scenario_error():
    with pytest.raises(kpisim.ScenarioError) as e:
        kpisim.run(DEFAULT, trials=10, set={"segments.whales.arpu.mean": 900})
    assert str(e.value).startswith('segments.whales.arpu.mean = 900: no segment is named "whales"')
    with pytest.raises(kpisim.ScenarioError) as e:
        kpisim.run(DEFAULT, trials=10, set={"segments.all.retention.mean": 1.5})
    assert str(e.value).startswith("segments.all.retention.mean = 1.5: makes segments[0].retention")
    with pytest.raises(kpisim.ScenarioError, match="takes a number"):
        kpisim.run(DEFAULT, trials=10, set={"targets.revenue": "lots"})
    with pytest.raises(kpisim.Error, match="not a TOML value"):
        kpisim.run(DEFAULT, trials=10, set={"targets.revenue": object()})


def test_a_case_the_scenario_lacks_is_an_error_not_a_scenario_error(cli):
    with pytest.raises(kpisim.Error) as e:
        kpisim.stress(BIGR, cases=["nope"], trials=10)
    assert not isinstance(e.value, kpisim.ScenarioError)
    assert str(e.value) == cli.error("stress", BIGR, "-n", 10, "--case", "nope")


def test_a_bad_sweep_path_is_the_clis_error(cli):
    with pytest.raises(kpisim.Error) as e:
        kpisim.sweep(DEFAULT, "costs.bonus", 0, 1, trials=10)
    assert not isinstance(e.value, kpisim.ScenarioError)
    assert str(e.value) == cli.error(
        "sweep", DEFAULT, "-n", 10, "--set", "costs.bonus", "--from", 0, "--to", 1
    )


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: kpisim.run(DEFAULT, trials=0), "trials=0: must be from 1 to 500,000,000"),
        (lambda: kpisim.run(DEFAULT, threads=0), "threads=0: must be from 1 to 256"),
        (lambda: kpisim.run(DEFAULT, sampling="qmc"), 'sampling="qmc"'),
        (lambda: kpisim.run(DEFAULT, trials=10, sampling="lhs"), "at least 20 with sampling"),
        (lambda: kpisim.kpis(DEFAULT, confidence=1.5), "confidence=1.5: must be a fraction"),
        (lambda: kpisim.sweep(DEFAULT, "targets.revenue", 1, 2, steps=1), "steps=1: must be from 2 to 1001"),
        (lambda: kpisim.sweep(DEFAULT, "targets.revenue", 1, float("inf")), "stop=inf"),
        (lambda: kpisim.solve(DEFAULT, "marketing.budget", 0.8, min=2, max=1), "min=2: must be below max=1"),
        (lambda: kpisim.solve(DEFAULT, "marketing.budget", 0.8, target="cash"), 'target="cash"'),
        (lambda: kpisim.explain(DEFAULT, density=0), "density=0: must be"),
        (lambda: kpisim.run(DEFAULT, toml="x = 1"), "not both"),
        (lambda: kpisim.run(), "give a scenario"),
    ],
)
def test_bad_arguments_are_errors_before_any_work(call, message):
    with pytest.raises(kpisim.Error) as e:
        call()
    assert not isinstance(e.value, kpisim.ScenarioError)
    assert message in str(e.value)
    assert "\n" not in str(e.value)


def test_required_arguments_are_required():
    with pytest.raises(TypeError, match="'path'"):
        kpisim.sweep(DEFAULT, start=0, stop=1)
    with pytest.raises(TypeError, match="'confidence'"):
        kpisim.solve(DEFAULT, "marketing.budget")


def test_a_likely_slip_warns_as_the_cli_does(cli, tmp_path):
    text = (ROOT / DEFAULT).read_text(encoding="utf-8").replace("noise_cv = 0.05", "noise_cv = 5")
    path = tmp_path / "slip.toml"
    path.write_text(text, encoding="utf-8")
    p = cli.raw("run", path, "-n", 100, "--format", "json", "--quiet")
    assert p.returncode == 0, p.stderr
    want = [l[len("kpisim: warning: "):] for l in p.stderr.splitlines() if l.startswith("kpisim: warning: ")]
    assert want
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kpisim.run(str(path), trials=100)
    assert [str(w.message) for w in caught if w.category is kpisim.ScenarioWarning] == want
    assert all(w.filename == __file__ for w in caught)
