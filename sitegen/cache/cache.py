"""What one build hands to the next: both seams, in memory (`sitegen serve`) or saved in
.sitegen-cache/ (`sitegen build`, see store.py; the parsed files in shards, shards.py)."""
from __future__ import annotations

import time

from ..content.fingerprint import Fingerprints
from .pages import RenderedPages
from .parsed import ParsedFiles


class Cache:
    def __init__(self, parsed: ParsedFiles | None = None, pages: RenderedPages | None = None,
                 started_ns: int = 0):
        self.parsed = parsed if parsed is not None else ParsedFiles()
        self.pages = pages if pages is not None else RenderedPages()
        self.started_ns = started_ns        # when the last build began
        self.fp = Fingerprints()            # of this build's values
        self.body_digests: dict[str, bytes] = {}    # article path -> its body's digest
        self.rendered = 0                   # pages the last build made
        # the last build's stages (build.Stages), which a build of a site with the same
        # values reuses; in memory only (`sitegen serve`): not worth loading from disk
        self.stages = None
        # the content files the last build found (last_build.Scan): a build told by a
        # watcher which files changed starts from it instead of listing the folders; in
        # memory only
        self.scan = None
        # the last build's problems, as found and as sorted (a long list, sorted once)
        self.problems = None

    def start(self) -> int:
        """Begin a build; returns the previous build's start (files newer are not trusted by
        their stat alone)."""
        self.fp = Fingerprints()
        self.body_digests = {}
        self.rendered = 0
        before, self.started_ns = self.started_ns, time.time_ns()
        return before

    def to_disk(self) -> dict:
        """What .sitegen-cache/ keeps in one file (the parsed files are kept apart, in
        shards: `parsed.to_disk()`)."""
        return {"pages": self.pages.to_disk(), "started_ns": self.started_ns}

    @classmethod
    def from_disk(cls, state: dict, parsed) -> "Cache":
        """The cache to_disk() saved; `parsed(shard)` gives what parsed.to_disk() saved of a
        shard."""
        return cls(ParsedFiles.from_disk(parsed), RenderedPages(state["pages"]),
                   state["started_ns"])
