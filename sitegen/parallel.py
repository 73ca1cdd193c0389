"""Pure stages spread over processes (fork: children see the parent's data as it is)."""
from __future__ import annotations

import multiprocessing
import sys
from typing import Callable, Sequence

MIN_ITEMS = 200   # below this, starting processes costs more than it saves


def parallel_map(fn: Callable, items: Sequence, workers: int, min_items: int = MIN_ITEMS) -> list:
    """[fn(x) for x in items], in `workers` processes when there are at least `min_items`."""
    if workers <= 1 or len(items) < min_items or not sys.platform.startswith("linux"):
        return [fn(x) for x in items]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.map(fn, items, chunksize=max(1, len(items) // (workers * 8)))
