"""The scheduler: a pure function mapped over items by forked processes, which see the
parent's data as it is (only the items and the results travel between them)."""
from __future__ import annotations

import multiprocessing
import signal
import sys
from typing import Callable, Sequence

MIN_ITEMS = 200   # below this, starting processes costs more than it saves


def will_fork(workers: int, items: int, min_items: int = MIN_ITEMS) -> bool:
    return workers > 1 and items >= min_items and sys.platform.startswith("linux")


# the function the forked processes call: set just before they are forked (a closure is not
# picklable, and need not be: the children inherit it)
_FN: Callable | None = None


def _call(item):
    return _FN(item)


def _child() -> None:
    """A forked process takes no part in its parent's handling of signals. The parent may
    run an event loop (`sitegen serve`) that learns of its signals through a file descriptor
    the child inherits: the SIGTERM that ends a worker would reach the parent's loop as its
    own, and stop the server."""
    signal.set_wakeup_fd(-1)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def parallel_map(fn: Callable, items: Sequence, workers: int, min_items: int = MIN_ITEMS,
                 chunksize: int | None = None,
                 on_result: Callable[[object], None] | None = None,
                 meanwhile: Callable[[], None] | None = None) -> list:
    """[fn(x) for x in items], in `workers` processes when there are at least `min_items`;
    `on_result` sees each result as it arrives (a progress bar); `meanwhile` is work of this
    process done while the others work (before them when there are none)."""
    global _FN
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
    _FN = fn
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_child)
    try:
        results = pool.imap(_call, items,
                            chunksize=chunksize or max(1, len(items) // (workers * 8)))
        if meanwhile is not None:
            meanwhile()
        out = collect(results)
        # once all is done the workers are told to end and waited for; terminate() (what
        # leaving `with Pool` does) is kept for a failure: it hands the pool's threads a
        # shutdown through the task queue's lock, which a worker waiting for work holds
        pool.close()
        pool.join()
        return out
    except BaseException:
        pool.terminate()
        raise
    finally:
        _FN = None
