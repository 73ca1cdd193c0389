"""What the pages show, computed once from the site and its ledger (no language yet)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from ..content.config import Config
from .country_views import CountryView, Totals, destination_rows, make_countries
from ..content.ledger import Entry, Ledger, roots_and_depths, sort_key
from ..content.model import Article, Event, Interval, Page, Site


@dataclass(frozen=True)
class EventView:
    event: Event
    declared_in: Article
    entry: Entry | None                  # release events only
    articles: tuple[Article, ...]        # declaring and referring, by slug
    sources: tuple                       # (Source, Article) pairs, each URL once
    parent: Event | None
    children: tuple[Event, ...]
    # a part's root (the release it is counted in) and the release it is directly part of,
    # which the lists name beside it; None for a root and for events of other kinds
    root: "EventView | None" = None
    within: "EventView | None" = None

    @property
    def id(self) -> str:
        return self.event.id

    @property
    def count(self) -> Interval | None:
        e = self.event
        return e.released or e.people or e.held

    @property
    def is_part(self) -> bool:
        return self.root is not None

    def follows(self, previous: "EventView | None") -> bool:
        """Whether, listed right after `previous`, this part is set under the release it is
        part of: `previous` is that release or one of its parts."""
        while isinstance(previous, EventView):
            if self.within is not None and previous.id == self.within.id:
                return True
            previous = previous.within
        return False

    @property
    def status(self) -> str | None:
        return self.entry.status if self.entry else self.event.status

    def all_countries(self) -> tuple[str, ...]:
        e = self.event
        codes = {c for c, _ in e.citizenship} | set(e.countries)
        if self.entry:
            codes |= {c for c, _ in self.entry.citizenship} | {c for c, _ in self.entry.destinations}
        codes |= {c for c in (e.from_country, e.destination) if c}
        return tuple(sorted(codes))


@dataclass(frozen=True)
class Views:
    config: Config
    site: Site
    ledger: Ledger
    events: tuple[EventView, ...]              # every event, by date then id
    by_id: dict[str, EventView]
    articles: tuple[Article, ...]              # newest first
    countries: tuple[CountryView, ...]
    years: tuple[int, ...]
    chart: tuple[tuple[Event, Interval], ...]  # counted confirmed roots and the running total
    by_translation: dict[str, tuple[Article, ...]]   # translation_key -> its articles, newest first

    def translations(self, article: Article) -> tuple[Article, ...]:
        if not article.translation_key:
            return ()
        return tuple(a for a in self.by_translation[article.translation_key]
                     if a.slug != article.slug)

    def covered_by(self, article: Article) -> tuple[EventView, ...]:
        ids = [e.id for e in article.events] + [r.id for r in article.refs]
        return tuple(self.by_id[i] for i in ids if i in self.by_id)

    def grouped(self, year: int | None = None) -> list[tuple[int, list[tuple[int | None, list[EventView]]]]]:
        """Events by year, then by month (None: only the year is known), in date order."""
        years: dict[int, dict[int | None, list[EventView]]] = {}
        for v in self.events:
            d = v.event.date
            if year is None or d.year == year:
                years.setdefault(d.year, {}).setdefault(d.month, []).append(v)
        return [(y, sorted(months.items(), key=lambda m: m[0] or 0))
                for y, months in sorted(years.items())]

    def ledger_tree(self) -> list[EventView]:
        """Release events, each root by date followed by its parts, depth first."""
        return self._with_parts(self.by_id[e.event.id] for e in self.ledger.entries
                                if e.depth == 0)

    def latest(self, n: int) -> list[EventView]:
        """The last `n` events that are not parts, newest first, each followed by its parts
        (depth first): a part is shown under the release it is counted in. At most 3n in
        all: a release of a thousand parts does not put them all on the home page."""
        return self._with_parts([v for v in self.events if not v.is_part][-n:][::-1])[:3 * n]

    def _with_parts(self, tops) -> list[EventView]:
        """Each of `tops` followed by its parts, depth first, walked with an explicit stack:
        a part_of chain may be deeper than Python's recursion."""
        out: list[EventView] = []
        for top in tops:
            stack = [top]
            while stack:
                view = stack.pop()
                out.append(view)
                stack.extend(self.by_id[c.id] for c in reversed(view.children))
        return out

    def chart_rows(self) -> list[tuple[EventView, Interval]]:
        """The chart's points: each counted confirmed root and the running total after it."""
        return [(self.by_id[event.id], running) for event, running in self.chart]

    def chart_months(self) -> list[tuple[int, int, int, Interval, Interval]]:
        """The chart's points by month, for its table once there are many: (year, month,
        releases, people released, running total at the month's end)."""
        months: dict[tuple[int, int], list] = {}
        for event, running in self.chart:
            start = event.date.start
            row = months.setdefault((start.year, start.month), [0, Interval(0, 0), running])
            row[0] += 1
            row[1] = row[1] + (event.released or Interval(0, 0))
            row[2] = running
        return [(y, m, n, released, running) for (y, m), (n, released, running) in months.items()]

    def ledger_rows(self) -> list[tuple[EventView, EventView | None]]:
        """ledger_tree(), each event with the event it is part of."""
        return [(v, v.parent and self.by_id[v.parent.id]) for v in self.ledger_tree()]

    def country(self, code: str) -> CountryView:
        return next(c for c in self.countries if c.code == code)

    def destination_rows(self) -> list[tuple[str, str, Totals]]:
        return destination_rows(self.ledger)

    def pages(self, lang: str) -> tuple[Page, ...]:
        return self.pages_by_language.get(lang, ())

    @cached_property
    def pages_by_language(self) -> dict[str, tuple[Page, ...]]:
        """The free pages by language: one tuple each, the same on every page that shows
        them (a fragment knows it by its identity)."""
        out: dict[str, list[Page]] = {}
        for p in self.site.pages:
            out.setdefault(p.lang, []).append(p)
        return {lang: tuple(ps) for lang, ps in out.items()}


def make_views(config: Config, site: Site, ledger: Ledger) -> Views:
    articles = {a.slug: a for a in site.articles}
    covered = ledger.coverage
    entries = {e.event.id: e for e in ledger.entries}
    events = sorted(site.events, key=sort_key)
    by_event = {e.id: e for e in events}
    kids: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        if e.part_of:
            kids[e.part_of].append(e)
    made: dict[str, EventView] = {}
    # roots first, then their parts level by level, so that each part can hold its root's view
    depths = roots_and_depths(by_event)
    for e in sorted(events, key=lambda e: depths[e.id][1]):
        cover = covered[e.id]
        arts = tuple(articles[s] for s in cover.articles)
        seen, sources = set(), []
        for a in arts:
            for s in a.sources:
                if s.url not in seen:
                    seen.add(s.url)
                    sources.append((s, a))
        within = made[e.part_of] if e.part_of else None
        made[e.id] = EventView(e, articles[e.article], entries.get(e.id), arts, tuple(sources),
                               within.event if within else None, tuple(kids.get(e.id, ())),
                               within and (within.root or within), within)
    views = [made[e.id] for e in _reading_order(events, by_event)]
    by_id = {v.id: v for v in views}
    newest_first = tuple(sorted(site.articles, key=lambda a: (a.date, a.slug), reverse=True))
    by_translation: dict[str, list[Article]] = defaultdict(list)
    for a in newest_first:
        if a.translation_key:
            by_translation[a.translation_key].append(a)
    return Views(
        config=config, site=site, ledger=ledger, events=tuple(views), by_id=by_id,
        articles=newest_first,
        by_translation={k: tuple(v) for k, v in by_translation.items()},
        countries=make_countries(site, ledger, views),
        years=tuple(sorted({v.event.date.year for v in views})),
        chart=_running_total(ledger))


def _reading_order(events: list[Event], by_event: dict[str, Event]) -> list[Event]:
    """By date (`events` are); on one date, each release before its parts, depth first, so
    that no list shows a part above the release it is counted in. Walked with a stack: a
    chain of parts may be deeper than Python's recursion."""
    listed = {e.id for e in events}
    kids: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        if e.part_of in listed and by_event[e.part_of].date.start == e.date.start:
            kids[e.part_of].append(e)
    order = []
    for top in events:
        if top.part_of in listed and by_event[top.part_of].date.start == top.date.start:
            continue                    # listed under the release it is part of
        stack = [top]
        while stack:
            event = stack.pop()
            order.append(event)
            stack.extend(reversed(kids.get(event.id, ())))
    # a release and its parts of the same date share that date: a stable sort keeps them
    # together, in the order of the walk
    return sorted(order, key=lambda e: e.date.start)


def _running_total(ledger: Ledger) -> tuple[tuple[Event, Interval], ...]:
    out, running = [], Interval(0, 0)
    for entry in ledger.entries:
        if entry.counted and entry.status == "confirmed":
            running = running + entry.event.released
            out.append((entry.event, running))
    return tuple(out)
