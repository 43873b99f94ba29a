"""kpisim from Python: Monte Carlo risk analysis of an annual KPI plan.

Each analysis returns what ``kpisim COMMAND --format json`` prints for the
same arguments, parsed (dicts, lists, numbers); ``trials`` returns every
trial as a ``pyarrow.Table`` (``polars.from_arrow(t)`` for polars).

A scenario is given as the path of its TOML file, or as its text with
``toml=`` (the JSON's ``file`` is then ``None``). Every function also takes:

- ``trials``: trials a run, 1 to 500,000,000 (default 1,000,000);
- ``seed``: the random streams' seed (default 7); the same scenario, trials
  and seed give the same numbers on any number of threads;
- ``threads``: worker threads, ``None`` for one per core;
- ``sampling``: ``"mc"`` (Monte Carlo) or ``"lhs"`` (Latin hypercube);
- ``set``: ``{path: value}`` edits of the scenario before the command, as a
  ``[[stress]]`` case's ``set`` makes them (docs/scenario.md, "Paths"),
  e.g. ``{"segments.all.retention.mean": 0.5}``.

The simulation releases the GIL: other Python threads run meanwhile.
Errors raise :class:`ScenarioError` for a missing, unreadable or invalid
scenario (or one ``set`` makes invalid), :class:`Error` for anything else;
a scenario's likely slips are issued as :class:`ScenarioWarning`.
"""

from __future__ import annotations

import json
import os
import warnings
from typing import TYPE_CHECKING, Any, Dict, List, Literal, Mapping, Optional, Sequence, Union

from . import _kpisim
from ._kpisim import Error, ScenarioError

if TYPE_CHECKING:
    import pyarrow

__all__ = [
    "Error",
    "ScenarioError",
    "ScenarioWarning",
    "explain",
    "kpis",
    "run",
    "sensitivity",
    "solve",
    "stress",
    "sweep",
    "trials",
]

__version__: str = _kpisim.VERSION

Scenario = Union[str, "os.PathLike[str]", None]
Sampling = Literal["mc", "lhs"]
Target = Literal["revenue", "profit", "both"]
Report = Dict[str, Any]


class ScenarioWarning(UserWarning):
    """A value in a scenario that is valid but likely a slip (the CLI's
    ``kpisim: warning:`` lines)."""


def _path(scenario: Scenario) -> Optional[str]:
    return None if scenario is None else os.fspath(scenario)


def _sets(set: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    return None if set is None else dict(set)


def _args(
    scenario: Scenario,
    toml: Optional[str],
    set: Optional[Mapping[str, Any]],
    trials: int,
    seed: int,
    threads: Optional[int],
    sampling: str,
) -> Dict[str, Any]:
    """What every native function takes first (src/lib.rs's ``Args``)."""
    return {
        "scenario": _path(scenario),
        "toml": toml,
        "set": _sets(set),
        "trials": trials,
        "seed": seed,
        "threads": threads,
        "sampling": sampling,
    }


def _warn(messages: List[str], stacklevel: int) -> None:
    for m in messages:
        # Pointing at the user's call, not at this module.
        warnings.warn(m, ScenarioWarning, stacklevel=stacklevel + 1)


def _report(result: "tuple[str, List[str]]") -> Report:
    text, messages = result
    _warn(messages, stacklevel=3)
    return json.loads(text)


def _required(function: str, **given: Any) -> None:
    missing = [name for name, value in given.items() if value is None]
    if missing:
        raise TypeError(
            f"{function}() missing required argument(s): "
            + ", ".join(repr(m) for m in missing)
        )


def run(
    scenario: Scenario = None,
    toml: Optional[str] = None,
    *,
    trials: int = 1_000_000,
    seed: int = 7,
    threads: Optional[int] = None,
    sampling: Sampling = "mc",
    set: Optional[Mapping[str, Any]] = None,
) -> Report:
    """The Monte Carlo forecast: ``kpisim run --format json``.

    Returns the run's summary: ``probability`` (``revenue``, ``profit``,
    ``both``: the share of years that reach each target), the annual and
    monthly bands (percentiles), the path to each target and the
    assumptions, with the header (``scenario``, ``file``, ``kpisim``,
    ``scenario_sha256``, ``trials``, ``seed``, ``sampling``).

    >>> r = run("scenarios/shandian-2016.toml")
    >>> r["probability"]["both"]
    0.541293
    """
    return _report(
        _kpisim.run(_args(scenario, toml, set, trials, seed, threads, sampling))
    )


def stress(
    scenario: Scenario = None,
    cases: Optional[Sequence[str]] = None,
    *,
    toml: Optional[str] = None,
    trials: int = 1_000_000,
    seed: int = 7,
    threads: Optional[int] = None,
    sampling: Sampling = "mc",
    set: Optional[Mapping[str, Any]] = None,
) -> Report:
    """The baseline and the scenario's ``[[stress]]`` cases on common random
    numbers: ``kpisim stress --format json``.

    ``cases`` names the cases to run (``--case``, each once, in the order
    first named); ``None`` runs every case in file order. Returns
    ``cases``: the baseline first, then each case with its probabilities and
    their paired changes from the baseline.
    """
    names = None if cases is None else [str(c) for c in ([cases] if isinstance(cases, str) else cases)]
    return _report(
        _kpisim.stress(
            _args(scenario, toml, set, trials, seed, threads, sampling), names
        )
    )


def sweep(
    scenario: Scenario = None,
    path: Optional[str] = None,
    start: Optional[float] = None,
    stop: Optional[float] = None,
    steps: int = 11,
    level: Optional[float] = None,
    *,
    toml: Optional[str] = None,
    trials: int = 1_000_000,
    seed: int = 7,
    threads: Optional[int] = None,
    sampling: Sampling = "mc",
    set: Optional[Mapping[str, Any]] = None,
) -> Report:
    """One input moved across a range on the same draws: ``kpisim sweep
    --set PATH --from START --to STOP --steps STEPS --format json``.

    ``path`` (required) is the dotted path moved; a number or one parameter
    takes the values themselves, a schedule or a whole uncertain input takes
    multipliers (1 = as written). ``steps`` evenly spaced values from
    ``start`` to ``stop`` (both required), both included (2 to 1,001).
    ``level``: also report where each probability crosses it, besides 0.5.
    """
    _required("sweep", path=path, start=start, stop=stop)
    assert path is not None and start is not None and stop is not None
    return _report(
        _kpisim.sweep(
            _args(scenario, toml, set, trials, seed, threads, sampling),
            path,
            float(start),
            float(stop),
            steps,
            level,
        )
    )


def kpis(
    scenario: Scenario = None,
    confidence: Optional[float] = None,
    *,
    toml: Optional[str] = None,
    trials: int = 1_000_000,
    seed: int = 7,
    threads: Optional[int] = None,
    sampling: Sampling = "mc",
    set: Optional[Mapping[str, Any]] = None,
) -> Report:
    """The department KPI sheet: ``kpisim kpis --format json``.

    Each department's monthly KPIs that add up to the plan; with
    ``confidence`` (a fraction, e.g. 0.8), the levels reached in that share
    of years too.
    """
    return _report(
        _kpisim.kpis(
            _args(scenario, toml, set, trials, seed, threads, sampling), confidence
        )
    )


def sensitivity(
    scenario: Scenario = None,
    *,
    toml: Optional[str] = None,
    trials: int = 1_000_000,
    seed: int = 7,
    threads: Optional[int] = None,
    sampling: Sampling = "mc",
    set: Optional[Mapping[str, Any]] = None,
) -> Report:
    """Which assumption matters most: ``kpisim sensitivity --format json``.

    For each uncertain input, the probabilities with it held at its low and
    high values (the tornado), and its rank correlation with the results.
    """
    return _report(
        _kpisim.sensitivity(_args(scenario, toml, set, trials, seed, threads, sampling))
    )


def solve(
    scenario: Scenario = None,
    lever: Optional[str] = None,
    confidence: Optional[float] = None,
    target: Target = "both",
    min: Optional[float] = None,
    max: Optional[float] = None,
    monthly: bool = False,
    *,
    toml: Optional[str] = None,
    trials: int = 1_000_000,
    seed: int = 7,
    threads: Optional[int] = None,
    sampling: Sampling = "mc",
    set: Optional[Mapping[str, Any]] = None,
) -> Report:
    """What it takes to reach a target with a confidence: ``kpisim solve
    --lever LEVER --confidence C --format json``.

    ``lever`` (required) is the dotted path moved; ``confidence`` (required)
    the probability of ``target`` (``"revenue"``, ``"profit"`` or
    ``"both"``) to reach. ``min`` and ``max`` bound the search (default: the
    lever's own range, e.g. 0.5 to 2 times as written); ``monthly`` adds the
    department sheet of the answer.
    """
    _required("solve", lever=lever, confidence=confidence)
    assert lever is not None and confidence is not None
    return _report(
        _kpisim.solve(
            _args(scenario, toml, set, trials, seed, threads, sampling),
            lever,
            float(confidence),
            target,
            min,
            max,
            monthly,
        )
    )


def explain(
    scenario: Scenario = None,
    target: Target = "both",
    density: float = 0.8,
    min_mass: float = 0.05,
    *,
    toml: Optional[str] = None,
    trials: int = 1_000_000,
    seed: int = 7,
    threads: Optional[int] = None,
    sampling: Sampling = "mc",
    set: Optional[Mapping[str, Any]] = None,
) -> Report:
    """What the years that miss ``target`` share: ``kpisim explain
    --format json``.

    Each input's median in the missing years against its median overall,
    and PRIM's box of input ranges: the first box at least ``density`` dense
    (a share of its years that miss), peeled until it would hold fewer than
    ``min_mass`` of all years.
    """
    return _report(
        _kpisim.explain(
            _args(scenario, toml, set, trials, seed, threads, sampling),
            target,
            density,
            min_mass,
        )
    )


_ARROW_TYPES = {"u64": "uint64", "f64": "float64", "bool": "bool_"}


def trials(
    scenario: Scenario = None,
    *,
    toml: Optional[str] = None,
    trials: int = 1_000_000,
    seed: int = 7,
    threads: Optional[int] = None,
    sampling: Sampling = "mc",
    set: Optional[Mapping[str, Any]] = None,
) -> "pyarrow.Table":
    """Every trial, as ``kpisim run --trials-out FILE.parquet`` writes them,
    as a ``pyarrow.Table``: ``trial`` (uint64, from 0), ``revenue`` and
    ``profit`` (float64, annual, CNY), ``hit_revenue``, ``hit_profit``,
    ``hit_both`` (bool), then one float64 column per uncertain input, named
    by its path, holding its drawn level in that trial.

    The columns are the engine's own buffers, handed to Arrow without a copy.
    For polars: ``polars.from_arrow(kpisim.trials(...))``.
    """
    import pyarrow as pa

    n, columns, messages = _kpisim.trials(
        _args(scenario, toml, set, trials, seed, threads, sampling)
    )
    _warn(messages, stacklevel=2)
    arrays = [
        pa.Array.from_buffers(getattr(pa, _ARROW_TYPES[kind])(), n, [None, pa.py_buffer(column)])
        for _, kind, column in columns
    ]
    return pa.Table.from_arrays(arrays, names=[name for name, _, _ in columns])
