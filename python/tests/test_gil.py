"""The simulation releases the GIL: other Python threads run meanwhile."""

import threading
import time

import kpisim


def test_python_threads_run_while_a_long_run_works():
    done = threading.Event()
    counts = []
    result = {}

    def simulate():
        # One worker, so the counting thread has a core of its own even on a
        # two-core machine.
        result["run"] = kpisim.run("scenarios/shandian-2016.toml", trials=5_000_000, threads=1)
        done.set()

    def count():
        n = 0
        while not done.is_set():
            n += 1
        counts.append(n)

    # The baseline: how far the counter gets in a while with the GIL free.
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < 0.2:
        n += 1
    free_rate = n / 0.2

    worker = threading.Thread(target=simulate)
    counter = threading.Thread(target=count)
    start = time.perf_counter()
    worker.start()
    counter.start()
    worker.join()
    counter.join()
    elapsed = time.perf_counter() - start
    assert result["run"]["trials"] == 5_000_000
    assert elapsed > 0.5, "the run was too short to tell"
    # Holding the GIL, the run would stop the counter until it returned
    # (Rust code never yields the GIL by itself); released, the counter runs
    # most of the time. A tenth leaves room for a busy machine.
    assert counts[0] > 0.1 * free_rate * elapsed, (counts[0], free_rate, elapsed)
