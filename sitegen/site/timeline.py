"""The timeline's axis (events placed by date, marks sized by people released, the running
confirmed total) and long lists of events split into pages (no language yet)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from markupsafe import Markup, escape

from ..content.model import Interval
from .views import EventView

# A page lists at most this many events, and at most this many bytes as estimated by
# `weight`: no page of the site grows past 1 MB however many events there are (the rest of
# a page, its menus, filters and pager, is far below the margin left).
PAGE_EVENTS = 300
PAGE_BYTES = 800_000
# an item's markup beside its titles and links' base path: classes and data attributes,
# mark, date, badges, figure, running total, the part-of line, ten country links and names
ITEM_BYTES = 2_000
LINKS = 16              # links in an item, each starting with the site's base path

# the space above a point: days since the event before it in its month (or since the first
# of the month), in steps a reader can tell apart
GAP_DAYS = (1, 3, 7, 14, 21)
# a release's mark: people released (the upper end of a range), on a rough log scale
SIZE_PEOPLE = (1, 5, 20, 60, 200)

MAX_NEST = 3            # levels of parts drawn inside their release

KINDS = ("release", "negotiation", "statement", "snapshot")
STATUSES = ("confirmed", "reported", "disputed", "retracted")
MECHANISMS = ("pardon", "exchange", "sentence_served", "deportation", "other")


@dataclass(frozen=True)
class Point:
    """One event on the axis; the parts listed right under it drawn inside it."""
    view: EventView
    gap: int                        # 0 (same day as the one above) .. 5 (three weeks or more)
    size: int                       # 0: not a release; 1..6: people released
    running: Interval | None        # the confirmed total after it (counted confirmed roots)
    parts: tuple["Point", ...] = ()
    data: Markup = Markup()         # the values the filters read (data-* attributes)

    @property
    def classes(self) -> str:
        e = self.view.event
        return (f"event event-{e.kind} point gap-{self.gap}"
                + (" event-part" if self.view.is_part else ""))


def data_of(view: EventView) -> Markup:
    """The point's data-* attributes, which timeline.js filters on."""
    e = view.event
    return Markup(f' data-kind="{escape(e.kind)}" data-status="{escape(view.status or "")}"'
                  f' data-mechanism="{escape(e.mechanism or "")}"'
                  f' data-countries="{escape(" ".join(view.all_countries()))}"'
                  f' data-year="{e.date.year}"')


@dataclass(frozen=True)
class Month:
    """The points of one month (None: only the year is known) on one page."""
    year: int
    month: int | None
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Year:
    year: int
    months: tuple[tuple[int, Month], ...]   # (months without events just before it, month)


@dataclass(frozen=True)
class Pager:
    """Where a page is among the pages of one list: (number, path, first, last event)."""
    number: int
    pages: tuple[tuple[int, str, EventView, EventView], ...]

    @property
    def previous(self):
        return self.pages[self.number - 2] if self.number > 1 else None

    @property
    def next(self):
        return self.pages[self.number] if self.number < len(self.pages) else None


def size_of(view: EventView) -> int:
    e = view.event
    if e.kind != "release" or e.released is None:
        return 0
    n = e.released.hi if e.released.hi is not None else e.released.lo
    return 1 + sum(n > step for step in SIZE_PEOPLE)


def gap_of(days: int) -> int:
    return sum(days >= step for step in GAP_DAYS)


def running_totals(views) -> dict[str, Interval]:
    """Event id -> the confirmed total after it, for each counted confirmed root."""
    return {event.id: running for event, running in views.chart}


@dataclass(frozen=True)
class Axis:
    """A page's events on the axis, as its template iterates them (years). Its value is what
    the axis is drawn from, the events and their running totals; the drawing is made when a
    page is made, so a page kept from the last build never draws it."""
    listed: tuple[EventView, ...]
    running: tuple[Interval | None, ...]
    data: dict = field(compare=False, repr=False)    # data-* attributes, shared by the lists

    @cached_property
    def years(self) -> tuple[Year, ...]:
        running = {v.id: r for v, r in zip(self.listed, self.running) if r is not None}
        return axis(list(self.listed), running, self.data)

    def __iter__(self):
        return iter(self.years)


def axis(listed: list[EventView], running: dict[str, Interval],
         data: dict[str, Markup] | None = None) -> tuple[Year, ...]:
    """Events (in reading order) by year and month; a part that follows the release it is
    part of is drawn inside it. Each year's months carry the months without events before
    them (since the month listed before, on this page). `data` keeps each event's
    attributes for the next list."""
    data = {} if data is None else data
    months: list[Month] = []
    tops: list[Point] = []
    key, last_day = None, None
    # a part's point is made after its own parts (they follow it): a stack of open points
    stack: list[tuple[EventView, list[Point]]] = []

    def close_to(depth: int) -> None:
        while len(stack) > depth:
            view, parts = stack.pop()
            attributes = data.get(view.id)
            if attributes is None:
                attributes = data[view.id] = data_of(view)
            point = Point(view, 0, size_of(view), running.get(view.id), tuple(parts), attributes)
            (stack[-1][1] if stack else tops).append(point)
    gaps: dict[str, int] = {}
    for v in listed:
        d = v.event.date
        here = (d.year, d.month)
        if here != key:
            close_to(0)
            if key is not None:
                months.append(Month(key[0], key[1], tuple(_with_gaps(tops, gaps))))
            tops, key, last_day = [], here, None
        if stack and v.follows(stack[-1][0]):
            # under the open point it is part of; drawn flat below MAX_NEST levels (a chain
            # of parts may be thousands deep)
            while stack and not _is_within(v, stack[-1][0]):
                close_to(len(stack) - 1)
            close_to(min(len(stack), MAX_NEST))
        else:
            close_to(0)
        if not stack:
            day = d.day or 1
            gaps[v.id] = gap_of(day - (last_day if last_day is not None else 1))
            last_day = day
        stack.append((v, []))
    close_to(0)
    if key is not None:
        months.append(Month(key[0], key[1], tuple(_with_gaps(tops, gaps))))
    years: dict[int, list[tuple[int, Month]]] = {}
    before = None
    for m in months:
        quiet = 0
        if before is not None and m.month and before.month:
            quiet = max(0, (m.year - before.year) * 12 + m.month - before.month - 1)
        years.setdefault(m.year, []).append((quiet, m))
        before = m
    return tuple(Year(y, tuple(ms)) for y, ms in years.items())


def _is_within(part: EventView, view: EventView) -> bool:
    return part.within is not None and part.within.id == view.id


def _with_gaps(points: list[Point], gaps: dict[str, int]) -> list[Point]:
    return [Point(p.view, gaps.get(p.view.id, 0), p.size, p.running, p.parts, p.data)
            for p in points]


def weight(view: EventView, base: int = 0) -> int:
    """An upper estimate of the bytes an event's item takes in a list whose links start
    with `base` bytes: its titles (in every language, escaped) and those of the releases it
    is part of, the country codes it is filtered by, its fixed markup."""
    e = view.event
    titles = [t for _, t in e.title] or [view.declared_in.title]
    for other in (view.root, view.within):
        if other is not None:
            titles += [t for _, t in other.event.title] or [other.declared_in.title]
    return (ITEM_BYTES + LINKS * base + 3 * len(view.all_countries())
            + sum(len(escape(t).encode("utf-8")) for t in titles))


def split(listed: list[EventView], base: int = 0, most: int | None = None,
          budget: int | None = None, costs: dict[str, int] | None = None
          ) -> list[list[EventView]]:
    """Consecutive pages of `listed`, each within `most` events (PAGE_EVENTS) and `budget`
    estimated bytes (PAGE_BYTES); one event too large for a page alone has a page alone.
    `costs` keeps each event's weight for the next list."""
    costs = {} if costs is None else costs
    most = PAGE_EVENTS if most is None else most
    budget = PAGE_BYTES if budget is None else budget
    pages: list[list[EventView]] = []
    page: list[EventView] = []
    used = 0
    for v in listed:
        cost = costs.get(v.id)
        if cost is None:
            cost = costs[v.id] = weight(v, base)
        if page and (len(page) >= most or used + cost > budget):
            pages.append(page)
            page, used = [], 0
        page.append(v)
        used += cost
    if page or not pages:
        pages.append(page)
    return pages


def paged(base: str, chunks: list[list[EventView]]) -> list[tuple[str, Pager]]:
    """Each chunk's path (`base`, then `base`page/2/ ...) and its pager."""
    paths = [base if k == 1 else f"{base}page/{k}/" for k in range(1, len(chunks) + 1)]
    table = tuple((k, path, chunk[0], chunk[-1])
                  for k, (path, chunk) in enumerate(zip(paths, chunks), 1) if chunk)
    return [(path, Pager(k, table)) for k, path in enumerate(paths, 1)]


def facets(views) -> dict[str, tuple]:
    """The values each filter can take on this site, in a fixed order (countries by code;
    a template sorts them by name)."""
    events = [v.event for v in views.events]
    return {
        "kind": tuple(k for k in KINDS if any(e.kind == k for e in events)),
        "status": tuple(s for s in STATUSES if any(v.status == s for v in views.events)),
        "mechanism": tuple(m for m in MECHANISMS if any(e.mechanism == m for e in events)),
        "country": tuple(c.code for c in views.countries if c.events),
        "year": views.years,
    }


def filtered(views, dimension: str, value: str) -> list[EventView]:
    """The events of one filter page, in reading order."""
    if dimension == "kind":
        return [v for v in views.events if v.event.kind == value]
    if dimension == "status":
        return [v for v in views.events if v.status == value]
    return [v for v in views.events if v.event.mechanism == value]
