"""`trials` is `--trials-out`'s Parquet file as a pyarrow Table, built on
the engine's buffers without a copy."""

import gc

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import kpisim
from conftest import ROOT

BIGR = "scenarios/shandian-2016-bigr.toml"


@pytest.mark.parametrize("scenario,n,seed", [("scenarios/shandian-2016.toml", 100_000, 7), (BIGR, 12_345, 3)])
def test_the_table_is_the_trials_out_file(cli, tmp_path, scenario, n, seed):
    out = tmp_path / "trials.parquet"
    cli.json("run", scenario, "-n", n, "-s", seed, "--trials-out", out)
    want = pq.read_table(out)
    got = kpisim.trials(scenario, trials=n, seed=seed)
    assert got.num_rows == n
    assert got.column_names == want.column_names
    for name in want.column_names:
        assert got.schema.field(name).type == want.schema.field(name).type, name
        assert got.column(name).equals(want.column(name)), name


def test_the_columns_are_the_engines_buffers_not_copies():
    # Arrow's own allocations stay flat: every column's bytes are lent by
    # the extension. A copy of 200,000 trials would take megabytes.
    before = pa.total_allocated_bytes()
    t = kpisim.trials(BIGR, trials=200_000)
    grown = pa.total_allocated_bytes() - before
    size = sum(c.nbytes for c in t.columns)
    assert size > 200_000 * 8 * 3
    assert grown < 64 * 1024, grown
    # A column keeps its buffer alive when the table is gone.
    revenue = t.column("revenue")
    del t
    gc.collect()
    again = kpisim.trials(BIGR, trials=200_000).column("revenue")
    assert revenue.equals(again)


def test_hits_agree_with_the_run(cli):
    t = kpisim.trials(BIGR, trials=50_000, seed=5)
    r = kpisim.run(BIGR, trials=50_000, seed=5)
    for target in ("revenue", "profit", "both"):
        hits = pa.compute.sum(t.column(f"hit_{target}")).as_py()
        assert hits / t.num_rows == r["probability"][target]
    revenue_target = r["targets"]["revenue"]
    expect = pa.compute.greater_equal(t.column("revenue"), revenue_target)
    assert expect.equals(t.column("hit_revenue"))


def test_polars_reads_it():
    t = kpisim.trials(BIGR, trials=10_000)
    df = pl.from_arrow(t)
    assert df.height == 10_000
    assert df["trial"].to_list()[:3] == [0, 1, 2]
    assert df["hit_both"].dtype == pl.Boolean


def test_toml_and_set_work_on_trials():
    text = (ROOT / BIGR).read_text(encoding="utf-8")
    assert kpisim.trials(toml=text, trials=1_000).equals(kpisim.trials(BIGR, trials=1_000))
    low = kpisim.trials(BIGR, trials=1_000, set={"segments.big_r.arpu.mean": 2_000})
    high = kpisim.trials(BIGR, trials=1_000)
    assert pa.compute.mean(low.column("segments.big_r.arpu")).as_py() < pa.compute.mean(
        high.column("segments.big_r.arpu")
    ).as_py()
