"""Cross-file checks: ids, slugs, references, part_of trees and the ledger's consistency rules."""
from __future__ import annotations

from collections import defaultdict

from .diagnostics import ERROR, WARNING, Diagnostic, Suggester
from .messages import Msg, msg
from .ledger import (aggregate, children_of, own_citizenship, own_destination, roots_and_depths,
                     sort_key, total)
from .bounds import named_countries
from .config import Config
from .model import Article, Event, Position, Site


def check_site(site: Site, config: Config | None = None) -> list[Diagnostic]:
    """Every problem that needs more than one file to see, each naming both places; with
    the config, the site's size against its bounds."""
    problems = _duplicate_slugs(site) + _duplicate_ids(site) + _translations(site)
    problems += _same_output(site) + _too_many_pages(site)
    if config is not None:
        problems += _over_bounds(site, config)
    events = _first_declarations(site)
    suggest = Suggester(events)
    problems += _references(site, events, suggest)
    problems += _distinct_from(events, suggest)
    unreadable = {i for a in site.articles for i in a.unreadable}
    tree_problems, tree_whole = _part_of(events, unreadable, suggest)
    problems += tree_problems
    # the citizenship and destination of each release with its parts', once for both checks
    breakdowns = _breakdowns(events) if tree_whole else {}
    problems += named_countries(events, breakdowns)
    if tree_whole:
        problems += _consistency(events, breakdowns)
        problems += _probable_duplicates(events)
    problems += _links_to_drafts(site, events)
    return problems


def _at(pos: Position, message: Msg, severity: str = ERROR) -> Diagnostic:
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
                  msg("E-DUPLICATE-SLUG", slug=slug, other=other.path))


def _duplicate_ids(site: Site) -> list[Diagnostic]:
    groups: dict[str, list[Event]] = defaultdict(list)
    for event in site.events:
        groups[event.id].append(event)
    return _pairs(groups, lambda e: e.where("id"), lambda id_, other:
                  msg("E-DUPLICATE-ID", id=id_, other=str(other)))


def _translations(site: Site) -> list[Diagnostic]:
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in site.articles:
        if article.translation_key:
            groups[f"{article.translation_key}\0{article.lang}"].append(article)
    return _pairs(groups, lambda a: a.pos, lambda key, other:
                  msg("E-TRANSLATION-SAME-LANG", key=key.split(chr(0))[0], other=other.path,
                      lang=key.split(chr(0))[1]))


def _same_output(site: Site) -> list[Diagnostic]:
    """Two files that would make one page: about.md and about.ru.md when ru is the default
    language, or about.md saying `lang: en` beside about.en.md (and so for country intros).
    One would silently replace the other: an error at each later file, naming the first."""
    out = []
    for what, items, key in (("E-SAME-OUTPUT-PAGE", site.pages, lambda p: p.slug),
                             ("E-SAME-OUTPUT-INTRO", site.countries, lambda c: c.code)):
        first: dict[tuple[str, str], str] = {}
        for item in sorted(items, key=lambda i: i.path):
            made = (key(item), item.lang)
            if made in first:
                out.append(Diagnostic(item.path, 1, 1, ERROR,
                                      msg(what, other=first[made], lang=item.lang,
                                          name=key(item).lower())))
            first.setdefault(made, item.path)
    return out


# free pages in one language: each is in the menu of every page of its language, so their
# number (and their titles' length, parse.MAX_MENU_TITLE) multiplies the whole site; this
# repository's content/ has two
MAX_PAGES = 6


def _too_many_pages(site: Site) -> list[Diagnostic]:
    """One error for each language with more than MAX_PAGES free pages, at the first file
    over the cap (in the order of paths), counting the others."""
    by_lang: dict[str, list[str]] = defaultdict(list)
    for page in site.pages:
        by_lang[page.lang].append(page.path)
    return [Diagnostic(paths[MAX_PAGES], 1, 1, ERROR,
                       msg("E-TOO-MANY-PAGES", n=MAX_PAGES, lang=lang, got=len(paths)))
            for lang, paths in sorted(by_lang.items()) if len(paths) > MAX_PAGES
            for paths in [sorted(paths)]]


def _over_bounds(site: Site, config: Config) -> list[Diagnostic]:
    """An error at the first event (and the first article) past the site's bound, in the
    order of files, counting them all."""
    out = []
    articles = sorted((a.pos for a in site.articles), key=_place)
    if len(articles) > config.max_articles:
        out.append(_at(articles[config.max_articles], msg(
            "E-TOO-MANY-ARTICLES", n=config.max_articles, got=len(articles))))
    events = sorted((e.where("id") for e in site.events), key=_place)
    if len(events) > config.max_events:
        out.append(_at(events[config.max_events], msg(
            "E-TOO-MANY-EVENTS", n=config.max_events, got=len(events))))
    return out


def _place(pos: Position) -> tuple[str, int, int]:
    return pos.path, pos.line, pos.col


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
                out.append(_at(ref.pos, msg("E-UNKNOWN-EVENT", field="ref", id=ref.id,
                                            hint=suggest(ref.id))))
            elif ref.id in own:
                out.append(_at(ref.pos, msg("E-REF-OWN", id=ref.id)))
            elif ref.id in seen:
                out.append(_at(ref.pos, msg("E-REF-TWICE", id=ref.id, line=seen[ref.id].line)))
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
                out.append(_at(where, msg("E-UNKNOWN-EVENT", field=f"distinct_from[{i}]",
                                          id=other_id, hint=suggest(other_id, exclude=event.id))))
            elif other.id == event.id:
                out.append(_at(where, msg("E-DISTINCT-FROM-SELF", field=f"distinct_from[{i}]")))
            elif other.kind != "release":
                out.append(_at(where, msg("E-DISTINCT-FROM-KIND", field=f"distinct_from[{i}]",
                                          id=other.id, kind=other.kind, other=str(other.pos))))
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
            out.append(_at(where, msg("E-UNKNOWN-EVENT", field="part_of", id=event.part_of,
                                      hint=suggest(event.part_of, exclude=event.id))))
        elif parent.id == event.id:
            out.append(_at(where, msg("E-PART-OF-SELF")))
        elif parent.kind != "release":
            out.append(_at(where, msg("E-PART-OF-KIND", id=parent.id, kind=parent.kind,
                                      other=str(parent.pos))))
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
                           msg("E-STATUS-DIFFERS", status=event.status, root_status=root.status,
                               root=root.id, other=str(root.where("status")))))
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


def _cycle_message(events: dict[str, Event], cycle: list[str]) -> Msg:
    named = cycle if len(cycle) <= CYCLE_NAMED + 1 else cycle[:CYCLE_NAMED]
    chain = " -> ".join(f"'{i}'" for i in named)
    rest = len(cycle) - len(named)
    more = msg("H-CYCLE-MORE", n=rest, first=cycle[0]) if rest else f" -> '{cycle[0]}'"
    where = tuple(msg("H-IS-AT", id=i, other=str(events[i].where("part_of")))
                  for i in named[1:])
    return msg("E-PART-OF-CYCLE", n=len(cycle), chain=chain, more=more, where=where)


def _breakdowns(events: dict[str, Event]) -> dict[str, dict[str, dict]]:
    """{"citizenship" | "destination": {release id: its breakdown with its parts'}}."""
    releases = {i: e for i, e in events.items() if e.kind == "release"}
    kids = children_of(releases.values())
    return {key: aggregate(releases, kids, own) for key, own in
            (("citizenship", own_citizenship), ("destination", own_destination))}


def _consistency(events: dict[str, Event], breakdowns: dict[str, dict[str, dict]]
                 ) -> list[Diagnostic]:
    releases = {i: e for i, e in events.items() if e.kind == "release"}
    kids = children_of(releases.values())
    out, overfull = [], set()
    for event in releases.values():
        parent = releases.get(event.part_of) if event.part_of else None
        if parent and event.released.exceeds(parent.released):
            out.append(_at(event.where("released"),
                           msg("E-PART-ABOVE-WHOLE", released=str(event.released),
                               whole=str(parent.released), id=parent.id,
                               other=str(parent.where("released")))))
        children = kids.get(event.id, [])
        parts = total(k.released for k in children)
        if children and parts.exceeds(event.released):
            overfull.add(event.id)
            named = ", ".join(f"'{k.id}' {k.released} ({k.where('released')})" for k in children)
            out.append(_at(event.where("released"),
                           msg("E-PARTS-ABOVE-WHOLE", parts=str(parts),
                               released=str(event.released), named=named)))
        own = total(n for _, n in event.citizenship)
        if own.exceeds(event.released):
            overfull.add(event.id)
            out.append(_at(event.where("citizenship"),
                           msg("E-CITIZENSHIP-ABOVE-RELEASED", sum=str(own),
                               released=str(event.released))))
    for key in ("citizenship", "destination"):
        out += _breakdown_sums(releases, kids, breakdowns[key], key, skip=overfull)
    return out


def _breakdown_sums(releases, kids, breakdowns, key: str, skip: set[str]) -> list[Diagnostic]:
    """A breakdown that, with its parts' breakdowns, adds up to more than `released`."""
    out = []
    for event_id, agg in breakdowns.items():
        event = releases[event_id]
        if event_id in skip or not kids.get(event_id):
            continue
        parts = total(agg.values())
        if parts.exceeds(event.released):
            listed = ", ".join(f"{c} {n}" for c, n in agg.items())
            out.append(_at(event.where(key if key in dict(event.key_pos) else "released"),
                           msg("E-BREAKDOWN-ABOVE-RELEASED", field=key, sum=str(parts),
                               listed=listed, released=str(event.released))))
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
            out.append(_at(a.where("id"), msg("W-PROBABLE-DUPLICATE", id=b.id, other=str(b.pos)),
                           WARNING))
        if len(pairs) > DUPLICATES_PER_FILE:
            rest = len(pairs) - DUPLICATES_PER_FILE
            a = pairs[DUPLICATES_PER_FILE][0]
            out.append(_at(a.where("id"), msg("W-MORE-DUPLICATES", n=rest), WARNING))
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
                out.append(_at(ref.pos, msg("E-ONLY-IN-DRAFT", field="ref", id=ref.id,
                                            other=str(events[ref.id].pos))))
        for event in article.events:
            if event.part_of in in_draft:
                out.append(_at(event.where("part_of"),
                               msg("E-ONLY-IN-DRAFT", field="part_of", id=event.part_of,
                                   other=str(events[event.part_of].pos))))
    return out
