"""`sitegen serve` keeps the search index: made after the first build and again after each
save, in a thread of its own (the reload does not wait for Pagefind)."""
import json
import time

import pytest

from .test_serve import ARTICLE, Served, edit, site  # noqa: F401 (the fixture)


def entry(served) -> dict | None:
    status, _, body = served.raw("/releases/pagefind/pagefind-entry.json")
    return json.loads(body) if status == 200 else None


def wait(condition, timeout: float = 30.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    pytest.fail("timed out")


@pytest.mark.slow
def test_the_preview_serves_an_index_made_again_after_a_save(site):  # noqa: F811
    served = Served(site)
    try:
        first = wait(lambda: entry(served))
        assert sorted(first["languages"]) == ["en", "ru"]
        assert served.raw("/releases/pagefind/pagefind.js")[0] == 200
        assert served.raw("/releases/search/")[0] == 200
        page_counts = {k: v["page_count"] for k, v in first["languages"].items()}
        edit(site / ARTICLE, "title:", "title: Zyzzyva")
        changed = wait(lambda: (e := entry(served)) and e != first and e)
        # the same pages, the edited one's words in a new index
        assert {k: v["page_count"] for k, v in changed["languages"].items()} == page_counts
        assert changed["languages"]["en"]["hash"] != first["languages"]["en"]["hash"]
    finally:
        code, err = served.stop()
    assert "search index made in" in err
