"""The native half of kpisim (src/lib.rs): each analysis's JSON text as
`kpisim COMMAND --format json` prints it, with the scenario's warnings.
Call the functions of the `kpisim` package instead; they parse the JSON
and build the trials' pyarrow Table."""

from typing import Any, Dict, List, Optional, Sequence, Tuple

VERSION: str

class Error(Exception):
    """A kpisim call that failed: bad options, a run that cannot go on, a
    question the scenario cannot answer."""

class ScenarioError(Error):
    """A scenario that is missing, unreadable or invalid, or that `set`
    makes invalid."""

class Column:
    """One column of the trials, lent to pyarrow through the buffer
    protocol (read-only)."""

    def __len__(self) -> int: ...

_Report = Tuple[str, List[str]]
# scenario (a path or None), toml, set, trials, seed, threads, sampling:
# kpisim/__init__.py's _args.
_Args = Dict[str, Any]

def run(
    args: _Args,
) -> _Report: ...
def stress(
    args: _Args,
    cases: Optional[Sequence[str]],
) -> _Report: ...
def sweep(
    args: _Args,
    path: str,
    start: float,
    stop: float,
    steps: int,
    level: Optional[float],
) -> _Report: ...
def kpis(
    args: _Args,
    confidence: Optional[float],
) -> _Report: ...
def sensitivity(
    args: _Args,
) -> _Report: ...
def solve(
    args: _Args,
    lever: str,
    confidence: float,
    target: str,
    min: Optional[float],
    max: Optional[float],
    monthly: bool,
) -> _Report: ...
def explain(
    args: _Args,
    target: str,
    density: float,
    min_mass: float,
) -> _Report: ...
def trials(
    args: _Args,
) -> Tuple[int, List[Tuple[str, str, Column]], List[str]]: ...
