"""The count ledger: roots, part_of trees, breakdowns with an `unknown` rest, two buckets.

Follows CONTENT_SPEC.md, "The ledger". Expects a site whose part_of links were checked
(every parent exists and is a release, no cycles): see checks.py.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .model import ZERO, Event, Interval, Site

BUCKETS = ("confirmed", "with_reported")
_IN_BUCKET = {"confirmed": {"confirmed"}, "with_reported": {"confirmed", "reported"}}
Breakdown = dict[str, Interval]


@dataclass(frozen=True, slots=True)
class Coverage:
    """The articles that declare or reference an event, and their source URLs."""

    articles: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Entry:
    """One release event as the ledger sees it."""

    event: Event
    status: str                       # its own, or its root's when omitted
    root: str
    depth: int                        # 0 for a root
    counted: bool
    reason: str | None                # why not counted: "included in <id>", "disputed", "retracted"
    citizenship: tuple[tuple[str, Interval], ...]   # aggregated, without unknown
    citizenship_unknown: Interval
    destinations: tuple[tuple[str, Interval], ...]  # aggregated, without unknown
    destination_unknown: Interval
    children: tuple[str, ...]
    coverage: Coverage


Totals = tuple[tuple[str, Interval], ...]     # (bucket, interval) for both buckets


@dataclass(frozen=True, slots=True)
class Ledger:
    entries: tuple[Entry, ...]                # every release event, by date then id
    totals: Totals
    by_citizenship: tuple[tuple[str, Totals], ...]
    by_destination: tuple[tuple[str, Totals], ...]
    by_year: tuple[tuple[str, Totals], ...]
    # the part of by_destination's figure for a country that are people freed inside it who
    # stayed (destination equal to `from`): shown as "stayed in <country>", not "received"
    stayed: tuple[tuple[str, Totals], ...] = ()
    # every event's (not only releases') articles and sources, for the views and open data
    coverage: dict[str, Coverage] = field(default_factory=dict, compare=False, repr=False)


def sort_key(event: Event) -> tuple:
    return (event.date.start, event.id)


def coverage(site: Site) -> dict[str, Coverage]:
    """Event id -> the articles covering it (sorted) and their sources (first appearance)."""
    slugs: dict[str, set[str]] = defaultdict(set)
    for article in site.articles:
        for event in article.events:
            slugs[event.id].add(article.slug)
        for ref in article.refs:
            slugs[ref.id].add(article.slug)
    by_slug = {a.slug: a for a in site.articles}
    out = {}
    for event_id, names in slugs.items():
        ordered = tuple(sorted(names))
        urls = dict.fromkeys(s.url for slug in ordered for s in by_slug[slug].sources)
        out[event_id] = Coverage(ordered, tuple(urls))
    return out


def children_of(events: Iterable[Event]) -> dict[str, list[Event]]:
    kids: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if event.part_of:
            kids[event.part_of].append(event)
    for group in kids.values():
        group.sort(key=sort_key)
    return kids


def aggregate(events: dict[str, Event], kids: dict[str, list[Event]],
              own: Callable[[Event], Breakdown]) -> dict[str, Breakdown]:
    """agg(E)[c] = max(own(E)[c], sum of agg(K)[c] over children K), on both ends.

    Children before parents by an explicit stack: a part_of chain may be as deep as the
    content makes it, far deeper than Python's recursion limit."""
    memo: dict[str, Breakdown] = {}
    for start in sorted(events.values(), key=sort_key):
        stack = [(start, False)]
        while stack:
            event, children_done = stack.pop()
            if event.id in memo:
                continue
            if event.id not in kids:    # a leaf: its own breakdown (never below zero)
                mine = own(event)
                memo[event.id] = {c: mine[c] for c in sorted(mine)}
                continue
            if not children_done:
                stack.append((event, True))
                stack.extend((child, False) for child in kids.get(event.id, ())
                             if child.id not in memo)
                continue
            parts: Breakdown = {}
            for child in kids.get(event.id, ()):
                for code, n in memo[child.id].items():
                    parts[code] = parts.get(code, ZERO) + n
            mine = own(event)
            memo[event.id] = {c: mine.get(c, ZERO).join_max(parts.get(c, ZERO))
                              for c in sorted(set(mine) | set(parts))}
    return memo


def roots_and_depths(events: dict[str, Event]) -> dict[str, tuple[Event, int]]:
    """Each event's root and its depth below it, every link followed once: walking up from
    each event on its own would be quadratic in a deep chain. Expects no cycles."""
    known: dict[str, tuple[Event, int]] = {}
    for event in events.values():
        path = []
        while event.id not in known and event.part_of:
            path.append(event)
            event = events[event.part_of]
        root, depth = known.get(event.id, (event, 0))
        known.setdefault(event.id, (root, depth))
        for member in reversed(path):
            depth += 1
            known[member.id] = (root, depth)
    return known


def own_citizenship(event: Event) -> Breakdown:
    return dict(event.citizenship)


def own_destination(event: Event) -> Breakdown:
    return {event.destination: event.released} if event.destination and event.released else {}


def own_stayed(event: Event) -> Breakdown:
    """The destination of people freed inside the country that held them."""
    return own_destination(event) if event.destination == event.from_country else {}


def total(parts: Iterable[Interval]) -> Interval:
    """The sum of the parts (Interval + Interval, end by end, without an Interval made for
    each partial sum)."""
    lo, hi = 0, 0
    for part in parts:
        lo += part.lo
        hi = None if hi is None or part.hi is None else hi + part.hi
    return Interval(lo, hi)


def build_ledger(site: Site) -> Ledger:
    releases = {e.id: e for e in site.events if e.kind == "release"}
    kids = children_of(releases.values())
    citizenship = aggregate(releases, kids, own_citizenship)
    destination = aggregate(releases, kids, own_destination)
    stayed = aggregate(releases, kids, own_stayed)
    covered = coverage(site)

    roots = roots_and_depths(releases)

    entries = []
    for event in sorted(releases.values(), key=sort_key):
        root, depth = roots[event.id]
        status = event.status or root.status
        counted = depth == 0 and status in _IN_BUCKET["with_reported"]
        reason = (f"included in {event.part_of}" if event.part_of
                  else None if counted else status)
        cit, dest = citizenship[event.id], destination[event.id]
        entries.append(Entry(
            event=event, status=status, root=root.id, depth=depth, counted=counted,
            reason=reason, citizenship=tuple(cit.items()),
            citizenship_unknown=event.released.rest_after(total(cit.values())),
            destinations=tuple(dest.items()),
            destination_unknown=event.released.rest_after(total(dest.values())),
            children=tuple(k.id for k in kids.get(event.id, ())),
            coverage=covered.get(event.id, Coverage((), ()))))
    counted = [e for e in entries if e.counted]
    return Ledger(
        entries=tuple(entries),
        totals=_buckets(counted, lambda e: {"": e.event.released})[0][1] if counted else _zero(),
        by_citizenship=_buckets(counted, lambda e: {**dict(e.citizenship),
                                                    "unknown": e.citizenship_unknown},
                                always=("unknown",)),
        by_destination=_buckets(counted, lambda e: {**dict(e.destinations),
                                                    "unknown": e.destination_unknown},
                                always=("unknown",)),
        by_year=_buckets(counted, lambda e: {f"{e.event.date.year:04d}": e.event.released}),
        stayed=_buckets(counted, lambda e: stayed[e.event.id]),
        coverage=covered)


def _zero() -> Totals:
    return tuple((b, ZERO) for b in BUCKETS)


def _buckets(entries: list[Entry], split: Callable[[Entry], Breakdown],
             always: tuple[str, ...] = ()) -> tuple[tuple[str, Totals], ...]:
    """For every key that split() yields (and those in `always`): the sum over counted
    roots, per bucket."""
    sums: dict[str, dict[str, Interval]] = defaultdict(lambda: {b: ZERO for b in BUCKETS})
    for key in always:
        sums[key]
    for entry in entries:
        for key, n in split(entry).items():
            for bucket in BUCKETS:
                if entry.status in _IN_BUCKET[bucket]:
                    sums[key][bucket] = sums[key][bucket] + n
    return tuple((key, tuple(sums[key].items())) for key in sorted(sums))
