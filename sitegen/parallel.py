"""Pure stages spread over processes (fork: children see the parent's data as it is)."""
from __future__ import annotations

import multiprocessing
import sys
from typing import Callable, Sequence

MIN_ITEMS = 200   # below this, starting processes costs more than it saves


def will_fork(workers: int, items: int, min_items: int = MIN_ITEMS) -> bool:
    return workers > 1 and items >= min_items and sys.platform.startswith("linux")


def parallel_map(fn: Callable, items: Sequence, workers: int, min_items: int = MIN_ITEMS,
                 chunksize: int | None = None,
                 on_result: Callable[[object], None] | None = None,
                 meanwhile: Callable[[], None] | None = None) -> list:
    """[fn(x) for x in items], in `workers` processes when there are at least `min_items`;
    `on_result` sees each result as it arrives (a progress bar); `meanwhile` is work of this
    process done while the others work (before them when there are none)."""
    report = on_result or (lambda result: None)

    def collect(results) -> list:
        out = []
        for result in results:
            out.append(result)
            report(result)
        return out
    if not will_fork(workers, len(items), min_items):
        if meanwhile is not None:
            meanwhile()
        return collect(map(fn, items))
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.imap(fn, items, chunksize=chunksize or max(1, len(items) // (workers * 8)))
        if meanwhile is not None:
            meanwhile()
        return collect(results)
