"""Open data: data/ledger.json, data/ledger.csv and data/events.json, byte-stable."""
from __future__ import annotations

import csv
import io
import json

from ..content.ledger import Coverage, Entry, Ledger, Totals, sort_key
from ..content.model import Article, Event, Interval, Site


def render_data(site: Site, ledger: Ledger) -> dict[str, bytes]:
    """The three files."""
    return {
        "data/ledger.json": _json(ledger_json(ledger)),
        "data/ledger.csv": ledger_csv(ledger).encode("utf-8"),
        "data/events.json": _json(events_json(site, ledger)),
    }


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def _json(value: dict) -> bytes:
    """Keys sorted; one line per event or per breakdown key, so a diff shows what changed."""
    lines = []
    for key, item in sorted(value.items()):
        if isinstance(item, list):
            rows = [f"    {_compact(x)}" for x in item]
        elif isinstance(item, dict):
            rows = [f"    {_compact(k)}: {_compact(v)}" for k, v in sorted(item.items())]
        else:
            lines.append(f"  {_compact(key)}: {_compact(item)}")
            continue
        brackets = "[]" if isinstance(item, list) else "{}"
        lines.append(f"  {_compact(key)}: {brackets[0]}\n" + ",\n".join(rows)
                     + f"\n  {brackets[1]}" if rows else f"  {_compact(key)}: {brackets}")
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode("utf-8")


def _totals(totals: Totals) -> dict:
    return {bucket: n.as_json() for bucket, n in totals}


def _intervals(pairs) -> dict:
    return {key: n.as_json() for key, n in pairs}


def ledger_json(ledger: Ledger) -> dict:
    """The contract's data/ledger.json."""
    return {
        "totals": _totals(ledger.totals),
        "by_citizenship": {k: _totals(t) for k, t in ledger.by_citizenship},
        "by_destination": {k: _totals(t) for k, t in ledger.by_destination},
        "by_year": {k: _totals(t) for k, t in ledger.by_year},
        "events": [_ledger_event(e) for e in ledger.entries],
    }


def _ledger_event(e: Entry) -> dict:
    return {
        "id": e.event.id, "date": str(e.event.date), "status": e.status,
        "released": e.event.released.as_json(), "part_of": e.event.part_of,
        "counted": e.counted, "citizenship": _intervals(e.citizenship),
        "from": e.event.from_country, "destination": e.event.destination,
        "articles": list(e.coverage.articles), "sources": list(e.coverage.sources),
    }


CSV_COLUMNS = ("id", "date", "status", "released_min", "released_max", "part_of", "counted",
               "not_counted_reason", "citizenship", "citizenship_unknown_min",
               "citizenship_unknown_max", "from", "destination", "articles", "sources")


def _bound(n: int | None) -> str:
    return "" if n is None else str(n)


def _pairs_text(pairs: tuple[tuple[str, Interval], ...]) -> str:
    return ";".join(f"{code}:{n.lo}-{_bound(n.hi)}" if n.lo != n.hi else f"{code}:{n.lo}"
                    for code, n in pairs)


def ledger_csv(ledger: Ledger) -> str:
    """One row per release event; an empty released_max means unbounded."""
    return _csv_row(CSV_COLUMNS) + "".join(_csv_row([
        e.event.id, str(e.event.date), e.status, e.event.released.lo,
        _bound(e.event.released.hi), e.event.part_of or "", str(e.counted).lower(),
        e.reason or "", _pairs_text(e.citizenship), e.citizenship_unknown.lo,
        _bound(e.citizenship_unknown.hi), e.event.from_country or "",
        e.event.destination or "", " ".join(e.coverage.articles),
        " ".join(e.coverage.sources)]) for e in ledger.entries)


def _csv_row(values) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(values)
    return out.getvalue()


def _count(n: Interval | None):
    return None if n is None else n.as_json()


def events_json(site: Site, ledger: Ledger) -> dict:
    """Every event of every kind, with the articles and sources that cover it."""
    covered = ledger.coverage
    entries = {e.event.id: e for e in ledger.entries}
    articles = {a.slug: a for a in site.articles}
    return {"events": [_event_row(event, entries.get(event.id), articles[event.article],
                                  covered[event.id])
                       for event in sorted(site.events, key=sort_key)]}


def _event_row(event: Event, entry: Entry | None, article: Article, cover: Coverage) -> dict:
    return {
        "id": event.id, "date": str(event.date), "precision": event.date.precision,
        "kind": event.kind, "title": dict(event.title) or {article.lang: article.title},
        "status": entry.status if entry else event.status,
        "released": _count(event.released), "people": _count(event.people),
        "held": _count(event.held), "citizenship": _intervals(event.citizenship),
        "from": event.from_country, "destination": event.destination,
        "mechanism": event.mechanism, "part_of": event.part_of,
        "distinct_from": list(event.distinct_from), "countries": list(event.countries),
        "names": {lang: list(names) for lang, names in event.names},
        "note": dict(event.note),
        "counted": entry.counted if entry else False,
        "not_counted_reason": entry.reason if entry else None,
        "declared_in": event.article,
        "articles": list(cover.articles),
        "sources": list(cover.sources),
    }
