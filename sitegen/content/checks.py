"""Cross-file checks: ids, slugs, references, part_of trees and the ledger's consistency rules."""
from __future__ import annotations

from collections import defaultdict

from .diagnostics import ERROR, WARNING, Diagnostic, Suggester
from .ledger import (aggregate, children_of, own_citizenship, own_destination, roots_and_depths,
                     sort_key, total)
from .model import Article, Event, Position, Site


def check_site(site: Site) -> list[Diagnostic]:
    """Every problem that needs more than one file to see, each naming both places."""
    problems = _duplicate_slugs(site) + _duplicate_ids(site) + _translations(site)
    problems += _same_output(site)
    events = _first_declarations(site)
    suggest = Suggester(events)
    problems += _references(site, events, suggest)
    problems += _distinct_from(events, suggest)
    unreadable = {i for a in site.articles for i in a.unreadable}
    tree_problems, tree_whole = _part_of(events, unreadable, suggest)
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


def _same_output(site: Site) -> list[Diagnostic]:
    """Two files that would make one page: about.md and about.ru.md when ru is the default
    language, or about.md saying `lang: en` beside about.en.md (and so for country intros).
    One would silently replace the other: an error at each later file, naming the first."""
    out = []
    for what, items, key in (("page", site.pages, lambda p: p.slug),
                             ("country intro", site.countries, lambda c: c.code)):
        first: dict[tuple[str, str], str] = {}
        for item in sorted(items, key=lambda i: i.path):
            made = (key(item), item.lang)
            if made in first:
                out.append(Diagnostic(item.path, 1, 1, ERROR,
                                      f"this {what} and {first[made]} are both the '{item.lang}' "
                                      f"version of '{key(item).lower()}' and would make the "
                                      "same page: remove one, or give it another lang"))
            first.setdefault(made, item.path)
    return out


def _first_declarations(site: Site) -> dict[str, Event]:
    events: dict[str, Event] = {}
    for event in site.events:
        events.setdefault(event.id, event)
    return events


def _references(site: Site, events: dict[str, Event], suggest: Suggester) -> list[Diagnostic]:
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
                                        + suggest(ref.id)))
            elif ref.id in own:
                out.append(_at(ref.pos, f"ref: '{ref.id}' is declared in this same article; "
                                        "remove the reference"))
            elif ref.id in seen:
                out.append(_at(ref.pos, f"ref: '{ref.id}' is already referenced at line "
                                        f"{seen[ref.id].line}"))
            seen.setdefault(ref.id, ref.pos)
    return out


def _distinct_from(events: dict[str, Event], suggest: Suggester) -> list[Diagnostic]:
    """Each id in distinct_from names another release event."""
    out = []
    for event in events.values():
        for i, other_id in enumerate(event.distinct_from, 1):
            where = event.where(f"distinct_from[{i}]")
            other = events.get(other_id)
            if other is None:
                out.append(_at(where, f"distinct_from[{i}]: no event '{other_id}' is declared "
                                      "anywhere" + suggest(other_id, exclude=event.id)))
            elif other.id == event.id:
                out.append(_at(where, f"distinct_from[{i}]: an event cannot be distinct from "
                                      "itself"))
            elif other.kind != "release":
                out.append(_at(where, f"distinct_from[{i}]: '{other.id}' is a {other.kind} event "
                                      f"({other.pos}); distinct_from names releases"))
    return out


def _part_of(events: dict[str, Event], unreadable: set[str],
             suggest: Suggester) -> tuple[list[Diagnostic], bool]:
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
                                  + suggest(event.part_of, exclude=event.id)))
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
    roots = roots_and_depths(events)
    for event in events.values():
        root = roots[event.id][0]
        if event.part_of and event.status and root.status and event.status != root.status:
            out.append(_at(event.where("status"),
                           f"status: '{event.status}' differs from '{root.status}' of its root "
                           f"'{root.id}' ({root.where('status')}); omit status to inherit it"))
    return out, True


CYCLE_NAMED = 3     # members of a long cycle named in its error; the rest are counted


def _cycles(events: dict[str, Event]) -> list[Diagnostic]:
    """One error per part_of cycle, at the member with the smallest id, naming a few
    members and counting the rest: the message stays short however long the cycle is.
    Every link is followed once (an event left by a finished walk is never walked again)."""
    out, done = [], set()
    for start in sorted(events):
        path, on_path, event = [], {}, events[start]
        while event.part_of and event.id not in done and event.id not in on_path:
            on_path[event.id] = len(path)
            path.append(event.id)
            event = events[event.part_of]
        if event.id in on_path:
            cycle = path[on_path[event.id]:]
            first = cycle.index(min(cycle))
            cycle = cycle[first:] + cycle[:first]
            out.append(_at(events[cycle[0]].where("part_of"), _cycle_message(events, cycle)))
        done.update(path)
    return out


def _cycle_message(events: dict[str, Event], cycle: list[str]) -> str:
    named = cycle if len(cycle) <= CYCLE_NAMED + 1 else cycle[:CYCLE_NAMED]
    chain = " -> ".join(f"'{i}'" for i in named)
    rest = len(cycle) - len(named)
    chain += f" -> ... ({rest} more) -> '{cycle[0]}'" if rest else f" -> '{cycle[0]}'"
    where = "; ".join(f"'{i}' is at {events[i].where('part_of')}" for i in named[1:])
    return (f"part_of: cycle of {len(cycle)} events: {chain}; {where}; "
            "a part cannot contain its whole: remove the part_of that is wrong")


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


DUPLICATES_PER_FILE = 20     # probable-duplicate warnings shown per file; the rest counted


def _probable_duplicates(events: dict[str, Event]) -> list[Diagnostic]:
    """A release whose date and count another release has, outside its own part_of tree
    and not set apart by distinct_from. Grouped by (date, released), then within a group by
    root: a member looks only at the first member of each other tree, so the work is
    n log n plus the distinct_from links, not a comparison of every pair."""
    roots = roots_and_depths(events)
    groups: dict[tuple, dict[str, list[Event]]] = defaultdict(dict)
    for event in sorted(events.values(), key=sort_key):
        if event.kind == "release":
            groups[(event.date, event.released)].setdefault(roots[event.id][0].id, []).append(event)
    apart = _distinct_pairs(events)
    found = []
    for trees in groups.values():
        if len(trees) < 2:
            continue
        for root, members in trees.items():
            for a in members:
                other = next((b for other_root, bs in trees.items() if other_root != root
                              for b in bs if (a.id, b.id) not in apart), None)
                if other is not None:
                    found.append((a, other))
    return _capped(found)


def _distinct_pairs(events: dict[str, Event]) -> set[tuple[str, str]]:
    """Pairs set apart by distinct_from (contract v2), both ways round."""
    pairs = set()
    for event in events.values():
        for other in event.distinct_from:
            pairs.update({(event.id, other), (other, event.id)})
    return pairs


def _capped(found: list[tuple[Event, Event]]) -> list[Diagnostic]:
    """A warning for each probable duplicate, at most DUPLICATES_PER_FILE in one file,
    then one line counting the rest: a file of thousands stays readable."""
    by_file: dict[str, list[tuple[Event, Event]]] = defaultdict(list)
    for a, b in found:
        by_file[a.pos.path].append((a, b))
    out = []
    for pairs in by_file.values():
        pairs.sort(key=lambda pair: (pair[0].pos.line, pair[0].pos.col))
        for a, b in pairs[:DUPLICATES_PER_FILE]:
            out.append(_at(a.where("id"), f"probable duplicate of '{b.id}' ({b.pos}): "
                           "same date and count; if it is the same release use "
                           f"'- ref: {b.id}', if it is part of it use part_of, "
                           f"if it is another release add 'distinct_from: [{b.id}]'",
                           WARNING))
        if len(pairs) > DUPLICATES_PER_FILE:
            rest = len(pairs) - DUPLICATES_PER_FILE
            a = pairs[DUPLICATES_PER_FILE][0]
            out.append(_at(a.where("id"), f"and {rest} more probable duplicate"
                           f"{'s' * (rest != 1)} like it in this file", WARNING))
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
