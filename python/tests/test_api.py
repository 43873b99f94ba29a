"""The package an editor sees: every function documented, with the
documented arguments and defaults, its stubs and py.typed shipped."""

import inspect
import pathlib
import re

import kpisim
from kpisim import _kpisim

FUNCTIONS = ["run", "stress", "sweep", "kpis", "sensitivity", "solve", "explain", "trials"]
COMMON = {"toml": None, "trials": 1_000_000, "seed": 7, "threads": None, "sampling": "mc", "set": None}
OWN = {
    "run": {},
    "stress": {"cases": None},
    "sweep": {"path": None, "start": None, "stop": None, "steps": 11, "level": None},
    "kpis": {"confidence": None},
    "sensitivity": {},
    "solve": {"lever": None, "confidence": None, "target": "both", "min": None, "max": None, "monthly": False},
    "explain": {"target": "both", "density": 0.8, "min_mass": 0.05},
    "trials": {},
}


def test_every_function_is_exported_and_documented():
    assert sorted(FUNCTIONS) == sorted(n for n in kpisim.__all__ if n[0].islower())
    for name in FUNCTIONS:
        f = getattr(kpisim, name)
        assert f.__doc__ and len(f.__doc__) > 80, name
        params = inspect.signature(f).parameters
        assert list(params)[0] == "scenario", name
        defaults = {p: params[p].default for p in params if p != "scenario"}
        assert defaults == {**OWN[name], **COMMON}, name
        assert all(params[p].annotation is not inspect.Parameter.empty for p in params), name


def test_the_explain_defaults_are_the_libraries():
    # The CLI's --density and --min-mass defaults, read from the source.
    source = (pathlib.Path(__file__).resolve().parents[2] / "src/aggregate/explain.rs").read_text()
    density = float(re.search(r"pub const DENSITY: f64 = ([0-9.]+);", source).group(1))
    min_mass = float(re.search(r"pub const MIN_MASS: f64 = ([0-9.]+);", source).group(1))
    params = inspect.signature(kpisim.explain).parameters
    assert (params["density"].default, params["min_mass"].default) == (density, min_mass)


def test_the_stubs_and_py_typed_are_installed_beside_the_extension():
    here = pathlib.Path(kpisim.__file__).parent
    assert (here / "py.typed").is_file()
    stub = (here / "_kpisim.pyi").read_text()
    native = [n for n in dir(_kpisim) if not n.startswith("_")]
    for name in native:
        assert re.search(rf"^(def|class) {name}\b|^{name}:", stub, re.M), name


def test_the_version_is_the_crates():
    cargo = (pathlib.Path(__file__).resolve().parents[2] / "Cargo.toml").read_text()
    assert kpisim.__version__ == re.search(r'^version = "([^"]+)"', cargo, re.M).group(1)
