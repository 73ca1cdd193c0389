"""What `sitegen serve` keeps of its last build, in memory, for the next one told which files
changed: the content files it found and read (Scan), and its routes (RouteTable). Beside
the two seams of the cache, and never saved: `sitegen build` lists and keys everything."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..content.config import Config
from ..content.diagnostics import Diagnostic
from ..site.routes import Route, article_routes, language_folder
from ..site.views import Views
from .keys import digest


@dataclass
class Scan:
    """The content files a build found and the problems of their listing (links, names), and
    what was read of each with which settings (`slots`), for a later build told which files
    changed since (`sitegen serve`'s watcher)."""
    content_dir: Path
    found: list[tuple[str, Path]]
    problems: list[Diagnostic]
    settings: tuple = ()
    slots: list | None = None   # (section, _parse_job's result) per file, as found
    _where: dict[str, int] | None = None

    def places(self, paths) -> set[int] | None:
        """The places in `found` of these files, None when one is not there (a new file)."""
        if self._where is None:
            self._where = {os.path.abspath(path): i for i, (_, path) in enumerate(self.found)}
        places = {self._where.get(os.path.abspath(path)) for path in paths}
        return None if None in places else places



class RouteTable:
    """The routes of a build (language, route) and what follows from them alone: each
    page's file, its versions in every language. A later build of the same stages starts
    from it, making again only the routes that show a body that changed (`renewed`)."""

    def __init__(self, items: list[tuple[str, Route]], names: list[str],
                 where: dict[tuple, dict[str, str]], bodies: dict[str, str]):
        self.items, self.names, self.where, self.bodies = items, names, where, bodies

    @cached_property
    def name_set(self) -> frozenset[str]:
        return frozenset(self.names)

    @cached_property
    def place(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.names)}

    @cached_property
    def showing(self) -> dict[str, list[int]]:
        """Article path -> the places of the routes that show its body."""
        out: dict[str, list[int]] = {}
        for i, (_, route) in enumerate(self.items):
            for path in route.bodies:
                out.setdefault(path, []).append(i)
        return out

    @cached_property
    def versions(self) -> bytes:
        """A digest of every page's versions (what the host's files list)."""
        return digest(repr(sorted(self.where.items())).encode())

    def renewed(self, config: Config, views: Views, bodies: dict[str, str], seam
                ) -> dict[int, Route] | None:
        """The routes, by place, that show a body other than the one they were made with,
        made again; None when this table cannot be started from: other articles, or a page
        that the last build did not leave in the output with its key (`seam`)."""
        if bodies.keys() != self.bodies.keys():
            return None
        old = self.bodies
        edited = {path for path, text in bodies.items()
                  if old[path] is not text and old[path] != text}
        renewed: dict[int, Route] = {}
        if edited:
            for lang in config.languages:
                for route in article_routes(views, lang, bodies, edited):
                    place = self.place.get(language_folder(config, lang) + route.file)
                    if place is None or self.items[place][1].key != route.key:
                        return None
                    renewed[place] = route
        # a route that shows an edited body is made again, whichever route it is
        if any(i not in renewed for path in edited for i in self.showing.get(path, ())):
            return None
        if not (self.name_set <= seam.intact and self.name_set <= seam.entries.keys()):
            return None
        return renewed

    def with_routes(self, renewed: dict[int, Route], bodies: dict[str, str]) -> "RouteTable":
        """This table with the renewed routes in their places, made with these bodies."""
        items = list(self.items)
        for i, route in renewed.items():
            items[i] = (items[i][0], route)
        table = RouteTable(items, self.names, self.where, bodies)
        for name in ("name_set", "place", "showing", "versions"):   # the same for both
            if name in vars(self):
                vars(table)[name] = vars(self)[name]
        return table
