"""Pagefind's scratch and working folders are inside what sitegen removes when it stops:
serve's preview folder, a build's new output. A process stopped in the middle of an index
leaves nothing behind in the system's temporary folder."""
from __future__ import annotations

from pathlib import Path

import pytest

from sitegen import search

from .test_serve import site  # noqa: F401 (the fixture)


def test_the_bundle_is_made_in_the_scratch_folder_given(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "binary", lambda: Path("/bin/true"))
    seen = []

    def stopped(exe, site, bundle, folder, nice=0):
        seen.append(bundle)
        raise KeyboardInterrupt     # as a signal would stop it, in the middle of the index
    monkeypatch.setattr(search, "_run", stopped)
    scratch = tmp_path / "preview" / ".search"
    scratch.mkdir(parents=True)
    with pytest.raises(KeyboardInterrupt):
        search.index_site(tmp_path / "preview", scratch=scratch)
    assert len(seen) == 1 and seen[0].parent.parent == scratch
    assert seen[0].name == "pagefind" and seen[0].parent.name.startswith("sitegen-search-")


def test_a_build_runs_pagefind_in_a_folder_of_its_new_output(tmp_path, monkeypatch):
    """A build killed while Pagefind runs leaves its working folder inside the new output
    (`.output.building-*`), which the next build removes, not in the temporary folder."""
    monkeypatch.setattr(search, "binary", lambda: Path("/bin/true"))
    seen = []

    def stopped(exe, site, bundle, folder, nice=0):
        seen.append(Path(folder))
        raise KeyboardInterrupt
    monkeypatch.setattr(search, "_run", stopped)
    staging = tmp_path / ".output.building-x"
    staging.mkdir()
    with pytest.raises(KeyboardInterrupt):
        search.index_into(staging)
    assert len(seen) == 1 and seen[0].parent == staging
    assert seen[0].name.startswith(".sitegen-search-")


@pytest.mark.slow      # a preview server, its first build and its first index
def test_serve_indexes_inside_its_preview_folder(site, tmp_path, monkeypatch):  # noqa: F811
    import signal
    from .test_serve import Served
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    server = Served(site)
    folder = server.folder()
    while "search index made" not in server.proc.stderr.readline():
        pass
    assert (folder / ".search").is_dir()
    assert [p.name for p in temporary.iterdir()] == [folder.name]
    assert server.raw(server.base + ".search/")[0] == 404        # never served
    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(timeout=10) == 0
    assert list(temporary.iterdir()) == []
