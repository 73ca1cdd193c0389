"""What a country page shows: citizens released, people received or who stayed, and what
"citizenship not reported" leaves out (no language yet)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..content.ledger import Entry, Ledger, total
from ..content.model import CountryIntro, Interval, Site

if TYPE_CHECKING:
    from .views import EventView

Totals = tuple[tuple[str, Interval], ...]      # (bucket, count)


@dataclass(frozen=True)
class CountryView:
    code: str
    citizens: Totals | None
    received: Totals | None        # sent there from another country
    events: tuple[EventView, ...]
    intros: tuple[CountryIntro, ...]
    stayed: Totals | None = None   # freed inside it by the country that held them
    # what "citizenship not reported" hides beside `citizens`: of the people in the confirmed
    # releases by this country (`held_here`), else in all confirmed releases, how many have
    # no reported citizenship, and how many there are
    unreported: Interval | None = None
    unreported_of: Interval | None = None
    held_here: bool = False


def _minus(whole: Totals, part: Totals) -> Totals | None:
    """whole - part, bucket by bucket (None when nothing is left)."""
    rest = tuple((b, n.rest_after(dict(part)[b])) for b, n in whole)
    return None if all(n.is_zero for _, n in rest) else rest


def destination_rows(ledger: Ledger) -> list[tuple[str, str, Totals]]:
    """by_destination as the pages show it: (code, "stayed" | "received" | "unknown", totals),
    a country's people who stayed apart from those sent there from elsewhere."""
    stayed = dict(ledger.stayed)
    out = []
    for code, totals in ledger.by_destination:
        here = stayed.get(code)
        if code == "unknown":
            out.append((code, "unknown", totals))
            continue
        if here and not all(n.is_zero for _, n in here):
            out.append((code, "stayed", here))
            rest = _minus(totals, here)
            if rest:
                out.append((code, "received", rest))
        else:
            out.append((code, "received", totals))
    return out


def _unreported(roots: list[Entry], code: str) -> tuple[Interval, Interval, bool]:
    """(people without a reported citizenship, people in all) over the counted confirmed
    releases (`roots`) by `code`, or over all of them when it held none; and whether it
    held them."""
    mine = [e for e in roots if e.event.from_country == code]
    chosen = mine or roots
    return (total(e.citizenship_unknown for e in chosen), total(e.event.released for e in chosen),
            bool(mine))


def make_countries(site: Site, ledger: Ledger, views: list[EventView]) -> tuple[CountryView, ...]:
    citizens = dict(ledger.by_citizenship)
    destinations = dict(ledger.by_destination)
    rows = destination_rows(ledger)
    stayed = {c: n for c, kind, n in rows if kind == "stayed"}
    received = {c: n for c, kind, n in rows if kind == "received"}
    involved: dict[str, list[EventView]] = defaultdict(list)
    for v in views:
        for code in v.all_countries():
            involved[code].append(v)
    intros: dict[str, list[CountryIntro]] = defaultdict(list)
    for intro in site.countries:
        intros[intro.code].append(intro)
    codes = sorted((set(involved) | set(intros) | set(citizens) | set(destinations))
                   - {"unknown"})
    roots = [e for e in ledger.entries if e.counted and e.status == "confirmed"]
    out = []
    for c in codes:
        unreported, of, held_here = _unreported(roots, c) if c in citizens else (None, None, False)
        out.append(CountryView(c, citizens.get(c), received.get(c), tuple(involved.get(c, ())),
                               tuple(intros.get(c, ())), stayed.get(c),
                               None if unreported is None or unreported.is_zero else unreported,
                               of, held_here))
    return tuple(out)
