"""The CLI the package is checked against, and the scenarios it reads.

The binary is $KPISIM_BIN, else target/release/kpisim in the repository
(`cargo build --release` at its root), else the same under
$CARGO_TARGET_DIR. A missing binary fails the tests: none is skipped.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"


def _binary() -> Path:
    candidates = []
    if os.environ.get("KPISIM_BIN"):
        candidates.append(Path(os.environ["KPISIM_BIN"]))
    else:
        candidates.append(ROOT / "target" / "release" / "kpisim")
        if os.environ.get("CARGO_TARGET_DIR"):
            candidates.append(Path(os.environ["CARGO_TARGET_DIR"]) / "release" / "kpisim")
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return c
    pytest.fail(
        "no kpisim binary at " + " or ".join(map(str, candidates))
        + ": run `cargo build --release` at the repository's root, or set KPISIM_BIN",
        pytrace=False,
    )


class Cli:
    def __init__(self, path: Path):
        self.path = path

    def raw(self, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.path), *map(str, args)],
            cwd=cwd,
            capture_output=True,
            text=True,
        )

    def json(self, *args: str, cwd: Path = ROOT):
        """`kpisim ARGS --format json`, parsed; the run must succeed."""
        p = self.raw(*args, "--format", "json", "--quiet", cwd=cwd)
        assert p.returncode == 0, p.stderr
        return json.loads(p.stdout)

    def error(self, *args: str, cwd: Path = ROOT) -> str:
        """The CLI's error message for ARGS, less each line's prefix; the
        run must fail."""
        p = self.raw(*args, "--format", "json", "--quiet", cwd=cwd)
        assert p.returncode != 0, p.stdout[:200]
        lines = [line for line in p.stderr.splitlines() if line.startswith("kpisim: error: ")]
        assert lines, p.stderr
        return "\n".join(line[len("kpisim: error: "):] for line in lines)


@pytest.fixture(scope="session")
def cli() -> Cli:
    return Cli(_binary())


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    # Paths are given as the CLI is given them, relative to the repository,
    # so that the JSON's `file` is the same string.
    monkeypatch.chdir(ROOT)
