"""Cross-file checks: ids, slugs, references, part_of trees and the ledger's consistency rules."""
from __future__ import annotations

from collections import defaultdict

from .diagnostics import ERROR, WARNING, Diagnostic, did_you_mean
from .ledger import aggregate, children_of, own_citizenship, own_destination, sort_key, total
from .model import Article, Event, Position, Site


def check_site(site: Site) -> list[Diagnostic]:
    """Every problem that needs more than one file to see, each naming both places."""
    problems = _duplicate_slugs(site) + _duplicate_ids(site) + _translations(site)
    events = _first_declarations(site)
    problems += _references(site, events)
    problems += _distinct_from(events)
    unreadable = {i for a in site.articles for i in a.unreadable}
    tree_problems, tree_whole = _part_of(events, unreadable)
    problems += tree_problems
    if tree_whole:
        problems += _consistency(events)
        problems += _probable_duplicates(events)
    problems += _links_to_drafts(site, events)
    return problems


def _at(pos: Position, message: str, severity: str = ERROR) -> Diagnostic:
    return Diagnostic(pos.path, pos.line, pos.col, severity, message)


def _pairs(groups: dict[str, list], where, message) -> list[Diagnostic]:
    """For each group with several members: one line at each member naming another."""
    out = []
    for key, members in groups.items():
        if len(members) < 2:
            continue
        for i, member in enumerate(members):
            other = members[1] if i == 0 else members[0]
            out.append(_at(where(member), message(key, where(other))))
    return out


def _duplicate_slugs(site: Site) -> list[Diagnostic]:
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in site.articles:
        groups[article.slug].append(article)
    return _pairs(groups, lambda a: a.pos, lambda slug, other:
                  f"duplicate article slug '{slug}': {other.path} has the same file name; "
                  "rename one of them")


def _duplicate_ids(site: Site) -> list[Diagnostic]:
    groups: dict[str, list[Event]] = defaultdict(list)
    for event in site.events:
        groups[event.id].append(event)
    return _pairs(groups, lambda e: e.where("id"), lambda id_, other:
                  f"id: duplicate event id '{id_}', also declared at {other}; "
                  "to cover the same event, use '- ref: " + id_ + "'")


def _translations(site: Site) -> list[Diagnostic]:
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in site.articles:
        if article.translation_key:
            groups[f"{article.translation_key}\0{article.lang}"].append(article)
    return _pairs(groups, lambda a: a.pos, lambda key, other:
                  f"translation_key '{key.split(chr(0))[0]}': {other.path} has the same key "
                  f"and the same lang '{key.split(chr(0))[1]}'; translations differ in lang")


def _first_declarations(site: Site) -> dict[str, Event]:
    events: dict[str, Event] = {}
    for event in site.events:
        events.setdefault(event.id, event)
    return events


def _references(site: Site, events: dict[str, Event]) -> list[Diagnostic]:
    out = []
    unreadable = {i for a in site.articles for i in a.unreadable}
    for article in site.articles:
        seen: dict[str, Position] = {}
        own = {e.id for e in article.events}
        for ref in article.refs:
            if ref.id in unreadable and ref.id not in events:
                pass  # its declaration has errors of its own
            elif ref.id not in events:
                out.append(_at(ref.pos, f"ref: no event '{ref.id}' is declared anywhere"
                                        + did_you_mean(ref.id, events)))
            elif ref.id in own:
                out.append(_at(ref.pos, f"ref: '{ref.id}' is declared in this same article; "
                                        "remove the reference"))
            elif ref.id in seen:
                out.append(_at(ref.pos, f"ref: '{ref.id}' is already referenced at line "
                                        f"{seen[ref.id].line}"))
            seen.setdefault(ref.id, ref.pos)
    return out


def _distinct_from(events: dict[str, Event]) -> list[Diagnostic]:
    """Each id in distinct_from names another release event."""
    out = []
    for event in events.values():
        for i, other_id in enumerate(event.distinct_from, 1):
            where = event.where(f"distinct_from[{i}]")
            other = events.get(other_id)
            if other is None:
                out.append(_at(where, f"distinct_from[{i}]: no event '{other_id}' is declared "
                                      "anywhere" + did_you_mean(other_id, set(events) - {event.id})))
            elif other.id == event.id:
                out.append(_at(where, f"distinct_from[{i}]: an event cannot be distinct from "
                                      "itself"))
            elif other.kind != "release":
                out.append(_at(where, f"distinct_from[{i}]: '{other.id}' is a {other.kind} event "
                                      f"({other.pos}); distinct_from names releases"))
    return out


def _part_of(events: dict[str, Event], unreadable: set[str]) -> tuple[list[Diagnostic], bool]:
    """Problems of the part_of links, and whether the trees are whole enough to add up."""
    out, whole = [], True
    for event in events.values():
        if not event.part_of:
            continue
        where = event.where("part_of")
        parent = events.get(event.part_of)
        if parent is None and event.part_of in unreadable:
            whole = False   # its declaration has errors of its own, reported there
        elif parent is None:
            out.append(_at(where, f"part_of: no event '{event.part_of}' is declared anywhere"
                                  + did_you_mean(event.part_of, set(events) - {event.id})))
        elif parent.id == event.id:
            out.append(_at(where, "part_of: an event cannot be part of itself"))
        elif parent.kind != "release":
            out.append(_at(where, f"part_of: '{parent.id}' is a {parent.kind} event "
                                  f"({parent.pos}); part_of must name a release"))
    if out or not whole:
        return out, False
    out += _cycles(events)
    if out:
        return out, False
    for event in events.values():
        root = _root(events, event)
        if event.part_of and event.status and root.status and event.status != root.status:
            out.append(_at(event.where("status"),
                           f"status: '{event.status}' differs from '{root.status}' of its root "
                           f"'{root.id}' ({root.where('status')}); omit status to inherit it"))
    return out, True


def _cycles(events: dict[str, Event]) -> list[Diagnostic]:
    out, done = [], set()
    for start in sorted(events):
        path, event = [], events[start]
        while event.part_of and event.id not in done and event.id not in path:
            path.append(event.id)
            event = events[event.part_of]
        if event.id in path:
            cycle = path[path.index(event.id):]
            chain = " -> ".join(f"'{i}'" for i in cycle + [cycle[0]])
            for member in cycle:
                nxt = events[events[member].part_of]
                out.append(_at(events[member].where("part_of"),
                               f"part_of: cycle {chain}; '{nxt.id}' is at {nxt.where('part_of')}"))
        done.update(path)
    return out


def _root(events: dict[str, Event], event: Event) -> Event:
    while event.part_of:
        event = events[event.part_of]
    return event


def _consistency(events: dict[str, Event]) -> list[Diagnostic]:
    releases = {i: e for i, e in events.items() if e.kind == "release"}
    kids = children_of(releases.values())
    out, overfull = [], set()
    for event in releases.values():
        parent = releases.get(event.part_of) if event.part_of else None
        if parent and event.released.exceeds(parent.released):
            out.append(_at(event.where("released"),
                           f"released: {event.released} is more than the {parent.released} of "
                           f"'{parent.id}' it is part of ({parent.where('released')})"))
        children = kids.get(event.id, [])
        parts = total(k.released for k in children)
        if children and parts.exceeds(event.released):
            overfull.add(event.id)
            named = ", ".join(f"'{k.id}' {k.released} ({k.where('released')})" for k in children)
            out.append(_at(event.where("released"),
                           f"released: its parts add up to {parts}, more than the "
                           f"{event.released} released: {named}"))
        own = total(n for _, n in event.citizenship)
        if own.exceeds(event.released):
            overfull.add(event.id)
            out.append(_at(event.where("citizenship"),
                           f"citizenship: adds up to {own}, more than the {event.released} released"))
    out += _breakdown_sums(releases, kids, own_citizenship, "citizenship", skip=overfull)
    out += _breakdown_sums(releases, kids, own_destination, "destination", skip=overfull)
    return out


def _breakdown_sums(releases, kids, own, key: str, skip: set[str]) -> list[Diagnostic]:
    """A breakdown that, with its parts' breakdowns, adds up to more than `released`."""
    out = []
    for event_id, agg in aggregate(releases, kids, own).items():
        event = releases[event_id]
        if event_id in skip or not kids.get(event_id):
            continue
        parts = total(agg.values())
        if parts.exceeds(event.released):
            listed = ", ".join(f"{c} {n}" for c, n in agg.items())
            out.append(_at(event.where(key if key in dict(event.key_pos) else "released"),
                           f"{key}: with its parts it adds up to {parts} ({listed}), "
                           f"more than the {event.released} released"))
    return out


def _probable_duplicates(events: dict[str, Event]) -> list[Diagnostic]:
    groups: dict[tuple, list[Event]] = defaultdict(list)
    for event in sorted(events.values(), key=sort_key):
        if event.kind == "release":
            groups[(event.date, event.released)].append(event)
    out = []
    for members in groups.values():
        for a in members:
            for b in members:
                if a is not b and _root(events, a) is not _root(events, b) \
                        and b.id not in a.distinct_from and a.id not in b.distinct_from:
                    out.append(_at(a.where("id"), f"probable duplicate of '{b.id}' ({b.pos}): "
                                   "same date and count; if it is the same release use "
                                   f"'- ref: {b.id}', if it is part of it use part_of, "
                                   f"if it is another release add 'distinct_from: [{b.id}]'",
                                   WARNING))
                    break
    return out


def _links_to_drafts(site: Site, events: dict[str, Event]) -> list[Diagnostic]:
    """References from a published article to an event only a draft declares."""
    in_draft = {e.id for a in site.articles if a.draft for e in a.events}
    in_draft -= {e.id for a in site.articles if not a.draft for e in a.events}
    out = []
    for article in site.articles:
        if article.draft:
            continue
        for ref in article.refs:
            if ref.id in in_draft:
                out.append(_at(ref.pos, f"ref: '{ref.id}' is declared only in a draft "
                                        f"({events[ref.id].pos}); it would be missing from the site"))
        for event in article.events:
            if event.part_of in in_draft:
                out.append(_at(event.where("part_of"),
                               f"part_of: '{event.part_of}' is declared only in a draft "
                               f"({events[event.part_of].pos}); it would be missing from the site"))
    return out
