"""A bound on what one event makes the site repeat that no one field shows: the countries
it names in all, its parts' included (each country's page lists it, its page has a line for
each). Each field has its own cap, and an article's sources times its events is checked
with the file (parse.py); this needs the part_of trees of the whole site.
"""
from __future__ import annotations

from .diagnostics import ERROR, Diagnostic
from .messages import msg
from .model import Event
from .parse import MAX_NAMED


def own_countries(event: Event) -> set[str]:
    return ({c for c, _ in event.citizenship} | set(event.countries)
            | {c for c in (event.from_country, event.destination) if c})


def named_countries(events: dict[str, Event], breakdowns: dict[str, dict[str, dict]]
                    ) -> list[Diagnostic]:
    """An error at each event that names more than MAX_NAMED countries, its parts'
    citizenships and destinations counted in (`breakdowns`: each release's, with its parts',
    by kind; none when the part_of trees are not whole: a cycle, an unknown parent)."""
    with_parts: dict[str, set[str]] = {}
    for by_release in breakdowns.values():
        for event_id, agg in by_release.items():
            with_parts.setdefault(event_id, set()).update(agg)
    out = []
    for event in events.values():
        mine = own_countries(event)
        named = mine | with_parts.get(event.id, set())
        if len(named) > MAX_NAMED:
            parts = len(named - mine)
            out.append(Diagnostic(event.pos.path, event.pos.line, event.pos.col, ERROR, msg(
                "E-TOO-MANY-COUNTRIES-PARTS" if parts else "E-TOO-MANY-COUNTRIES", id=event.id,
                n=MAX_NAMED, got=len(named), parts=parts)))
    return out
