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
_Set = Optional[Dict[str, Any]]

def run(
    scenario: Optional[str],
    toml: Optional[str],
    set: _Set,
    trials: int,
    seed: int,
    threads: Optional[int],
    sampling: str,
) -> _Report: ...
def stress(
    scenario: Optional[str],
    toml: Optional[str],
    set: _Set,
    trials: int,
    seed: int,
    threads: Optional[int],
    sampling: str,
    cases: Optional[Sequence[str]],
) -> _Report: ...
def sweep(
    scenario: Optional[str],
    toml: Optional[str],
    set: _Set,
    trials: int,
    seed: int,
    threads: Optional[int],
    sampling: str,
    path: str,
    start: float,
    stop: float,
    steps: int,
    level: Optional[float],
) -> _Report: ...
def kpis(
    scenario: Optional[str],
    toml: Optional[str],
    set: _Set,
    trials: int,
    seed: int,
    threads: Optional[int],
    sampling: str,
    confidence: Optional[float],
) -> _Report: ...
def sensitivity(
    scenario: Optional[str],
    toml: Optional[str],
    set: _Set,
    trials: int,
    seed: int,
    threads: Optional[int],
    sampling: str,
) -> _Report: ...
def solve(
    scenario: Optional[str],
    toml: Optional[str],
    set: _Set,
    trials: int,
    seed: int,
    threads: Optional[int],
    sampling: str,
    lever: str,
    confidence: float,
    target: str,
    min: Optional[float],
    max: Optional[float],
    monthly: bool,
) -> _Report: ...
def explain(
    scenario: Optional[str],
    toml: Optional[str],
    set: _Set,
    trials: int,
    seed: int,
    threads: Optional[int],
    sampling: str,
    target: str,
    density: float,
    min_mass: float,
) -> _Report: ...
def trials(
    scenario: Optional[str],
    toml: Optional[str],
    set: _Set,
    trials: int,
    seed: int,
    threads: Optional[int],
    sampling: str,
) -> Tuple[int, List[Tuple[str, str, Column]], List[str]]: ...
