"""The content model: frozen, slotted dataclasses with tuple fields and real dates."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field



@dataclass(frozen=True, slots=True)
class Interval:
    """A count as [lo, hi]; hi None means unbounded (`{at_least: N}`)."""

    lo: int
    hi: int | None

    @classmethod
    def exact(cls, n: int) -> "Interval":
        return cls(n, n)

    def __add__(self, other: "Interval") -> "Interval":
        hi = None if self.hi is None or other.hi is None else self.hi + other.hi
        return Interval(self.lo + other.lo, hi)

    def join_max(self, other: "Interval") -> "Interval":
        """Endpoint-wise maximum (rule 3 of the ledger)."""
        hi = None if self.hi is None or other.hi is None else max(self.hi, other.hi)
        return Interval(max(self.lo, other.lo), hi)

    def rest_after(self, part: "Interval") -> "Interval":
        """self - part, endpoint by endpoint, clamped at 0 (the `unknown` remainder)."""
        lo = max(0, self.lo - part.lo)
        if self.hi is None:
            hi = None
        elif part.hi is None:
            hi = 0
        else:
            hi = max(0, self.hi - part.hi)
        return Interval(min(lo, hi), max(lo, hi)) if hi is not None and lo > hi else Interval(lo, hi)

    def exceeds(self, whole: "Interval") -> bool:
        """True when this part cannot fit in `whole`: its lower bound is above whole's upper."""
        return whole.hi is not None and self.lo > whole.hi

    @property
    def is_zero(self) -> bool:
        return self.lo == 0 and self.hi == 0

    def as_json(self) -> dict:
        return {"min": self.lo, "max": self.hi}

    def __str__(self) -> str:
        if self.hi is None:
            return f">= {self.lo}"
        return str(self.lo) if self.lo == self.hi else f"{self.lo}-{self.hi}"


ZERO = Interval(0, 0)


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the day, the month or the year."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def start(self) -> dt.date:
        """The first day it can mean (how partial dates sort)."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def __str__(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


@dataclass(frozen=True, slots=True)
class Position:
    """Where something was written: file (relative to the site root), line and column."""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Source:
    url: str
    publisher: str
    title: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    date: PartialDate
    kind: str                                   # release | negotiation | statement | snapshot
    article: str                                # slug of the declaring article
    title: tuple[tuple[str, str], ...] = ()     # (lang, text); empty: the article's title
    status: str | None = None                   # None on a child: its root's
    released: Interval | None = None
    citizenship: tuple[tuple[str, Interval], ...] = ()
    from_country: str | None = None
    destination: str | None = None
    mechanism: str | None = None
    part_of: str | None = None
    distinct_from: tuple[str, ...] = ()         # releases that are not this one (same date, count)
    people: Interval | None = None
    held: Interval | None = None
    countries: tuple[str, ...] = ()
    names: tuple[tuple[str, tuple[str, ...]], ...] = ()   # (lang, names), the same people each
    note: tuple[tuple[str, str], ...] = ()      # (lang, text)
    pos: Position = field(default=Position("", 0, 0), compare=False)
    # where each key was written, for cross-file diagnostics: (key, Position)
    key_pos: tuple[tuple[str, Position], ...] = field(default=(), compare=False)

    def where(self, key: str) -> Position:
        return dict(self.key_pos).get(key, self.pos)


@dataclass(frozen=True, slots=True)
class EventRef:
    id: str
    article: str
    pos: Position = field(compare=False)


@dataclass(frozen=True, slots=True)
class Article:
    slug: str
    path: str
    title: str
    date: dt.date
    published: str                              # the date as written (may carry a time)
    lang: str
    sources: tuple[Source, ...]
    body_line: int                              # where the body starts in the file
    summary: str = ""                           # given, else the body's first paragraph
    tags: tuple[str, ...] = ()
    draft: bool = False
    translation_key: str | None = None
    events: tuple[Event, ...] = ()
    refs: tuple[EventRef, ...] = ()
    unreadable: tuple[str, ...] = ()            # ids of declared events that had errors
    pos: Position = field(default=Position("", 0, 0), compare=False)


@dataclass(frozen=True, slots=True)
class Page:
    """A free page from content/pages/<slug>.md (or <slug>.<lang>.md)."""

    slug: str
    path: str
    title: str
    lang: str
    body: str
    body_line: int
    html: str = ""


@dataclass(frozen=True, slots=True)
class CountryIntro:
    """Intro text for a country page, content/countries/<xx>.md (or <xx>.<lang>.md)."""

    code: str
    path: str
    lang: str
    body: str
    body_line: int
    html: str = ""


@dataclass(frozen=True, slots=True)
class Site:
    """Everything read from content/, valid or not yet cross-checked."""

    articles: tuple[Article, ...]
    pages: tuple[Page, ...] = ()
    countries: tuple[CountryIntro, ...] = ()
    # article path -> its body rendered (markdown.py; the Markdown source is not kept): apart
    # from the articles, so that what lists articles holds no body; a page that shows one is
    # given it by its route (site/routes.py)
    bodies: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(e for a in self.articles for e in a.events)

    def without_drafts(self) -> "Site":
        return Site(tuple(a for a in self.articles if not a.draft), self.pages, self.countries,
                    self.bodies)
