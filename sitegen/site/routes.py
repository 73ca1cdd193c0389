"""The pages of each language tree (routes), each with what it shows, and one tree's URLs."""
from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from ..content.config import Config
from ..content.model import Article
from .i18n import Strings
from .timeline import Axis, facets, filtered, paged, running_totals, split
from .views import EventView, Views


@dataclass(frozen=True)
class Route:
    """One page of a language tree and what it shows.

    A page of one item is given its `context` and the layout (the configuration, the menus):
    its `inputs` are the values of its context, and it shows nothing else. A page that lists
    the whole site (`whole`) is given every view, made from the configuration and the site's
    content alone: those are its inputs. Bodies of articles are not in the site's values: a
    page shows one only when its route gives it (`bodies`: the articles' paths)."""

    path: str            # inside the language tree: "" (home), "events/<id>/" ...
    template: str
    key: tuple           # the same page in another language has the same key
    context: dict = field(default_factory=dict, compare=False)
    inputs: tuple = field(default=(), compare=False)
    whole: bool = False
    bodies: tuple[str, ...] = ()

    @property
    def file(self) -> str:
        return self.path + "index.html"


def language_folder(config: Config, lang: str) -> str:
    """A language tree's folder in the output: none for the default language."""
    return "" if lang == config.default_language else f"{lang}/"


class Tree:
    """One language's tree: its URLs, its strings and the helpers the templates use."""

    def __init__(self, config: Config, lang: str, strings: Strings):
        self.config, self.lang, self.t = config, lang, strings
        self.prefix = language_folder(config, lang)

    def url(self, path: str = "") -> str:
        """A page of this language: base path + language prefix + path."""
        return self.config.base_path + self.prefix + path

    def root_url(self, path: str = "") -> str:
        """A file shared by every language (static files, open data)."""
        return self.config.base_path + path

    def event_url(self, event_id: str) -> str:
        return self.url(f"events/{event_id}/")

    def article_url(self, article: Article) -> str:
        tree = "" if article.lang == self.config.default_language else f"{article.lang}/"
        return self.config.base_path + tree + f"articles/{article.slug}/"

    def title(self, view: EventView) -> tuple[str, str | None]:
        """The event's title in this language, else a fallback and the language it is in."""
        found = self.in_lang(view.event.title)
        if found is not None:
            return found
        article = view.declared_in
        return article.title, None if article.lang == self.lang else article.lang

    def in_lang(self, pairs: tuple) -> tuple | None:
        """A per-language value (title, note, names) in this language: (value, None); else
        another language's, in the site's order of languages: (value, its language)."""
        values = dict(pairs)
        if self.lang in values:
            return values[self.lang], None
        for lang in (*self.config.languages, *sorted(values)):
            if lang in values:
                return values[lang], lang
        return None


def routes(views: Views, lang: str, bodies: dict[str, str], shared: dict | None = None
           ) -> list[Route]:
    """The pages of one language tree, each with what it shows; `bodies` are the articles'
    (not in the views). `shared` keeps the inputs of a page every language has (one object,
    fingerprinted once)."""
    by_id = views.by_id
    shared = {} if shared is None else shared
    whole = shared.setdefault("", (views.config, views.site))

    def near(v: EventView) -> dict:
        if v.id not in shared:
            shared[v.id] = {"view": v, "parent": v.parent and by_id[v.parent.id],
                            "parts": tuple(by_id[c.id] for c in v.children)}
        return shared[v.id]

    def one(path: str, template: str, key: tuple, context: dict, bodies=()) -> Route:
        return Route(path, template, key, context, tuple(context.values()), False, bodies)
    lists = shared.get(("lists",))
    if lists is None:
        lists = shared[("lists",)] = _lists(views)
    out = [Route(path, template, (name,), {}, whole, True)
           for path, template, name in (("", "home.html", "home"),
                                        ("countries/", "countries.html", "countries"))]
    if views.config.search:     # the page of the search index (sitegen/search.py)
        out.append(one("search/", "search.html", ("search",), {"search_page": True}))
    fc = lists["facets"]
    for key, template, chosen, pages in lists["timelines"]:
        for path, pager, years in pages:
            out.append(one(path, template,
                           key if pager.number == 1 else (*key, "page", pager.number),
                           {"years": years, "pager": pager, "facets": fc, "filter": chosen,
                            "newest": key == ("timeline", "newest")}))
    for path, pager, rows in lists["ledger"]:
        out.append(Route(path, "ledger.html", ("ledger",) if pager.number == 1
                         else ("ledger", "page", pager.number), {"rows": rows, "pager": pager},
                         whole, True))
    where_is = lists["year_page"]
    events = views.events
    for i, v in enumerate(events):
        before = events[i - 1] if i else None
        after = events[i + 1] if i + 1 < len(events) else None
        out.append(one(f"events/{v.id}/", "event.html", ("event", v.id),
                       {**near(v), "previous": before, "next": after,
                        "year_page": where_is[v.id]}))
    for c in views.countries:
        for path, pager, chunk in lists["countries"][c.code]:
            out.append(one(path, "country.html", ("country", c.code) if pager.number == 1
                           else ("country", c.code, "page", pager.number),
                           {"country": c, "events": chunk, "pager": pager}))
    out += article_routes(views, lang, bodies)
    out += [one(f"{p.slug}/", "page.html", ("page", p.slug), {"page_item": p})
            for p in views.pages(lang)]
    return out


def article_routes(views: Views, lang: str, bodies: dict[str, str],
                   paths: set[str] | None = None) -> list[Route]:
    """The article pages of one language tree, or only those of the articles at `paths`:
    the only routes that show a body (what an edit of an article's text changes)."""
    out = []
    for a in views.articles:
        if a.lang == lang and (paths is None or a.path in paths):
            context = {"article": a, "body": Markup(bodies.get(a.path, "")),
                       "others": views.translations(a), "covered": views.covered_by(a)}
            out.append(Route(f"articles/{a.slug}/", "article.html",
                             ("article", a.translation_key or a.slug), context,
                             tuple(context.values()), False, (a.path,)))
    return out


def _lists(views: Views) -> dict:
    """The long lists of the site, each split into pages (the same in every language): the
    timeline (oldest first, and newest first), its pages per year, kind, status and
    mechanism, the ledger's rows and each country's events; and, for each event, the page of
    its year that lists it."""
    running = running_totals(views)
    fc = facets(views)
    # the longest start of a link: the base path and a language's folder
    reach = len(views.config.base_path.encode()) + max(len(lang) + 1
                                                       for lang in views.config.languages)
    costs: dict[str, int] = {}
    data: dict = {}
    every = list(views.events)
    # (page key, template, the filter it shows or None, path, events)
    wanted = [(("timeline",), "timeline.html", None, "timeline/", every)]
    wanted += [(("year", y), "year.html", ("year", y), f"timeline/{y}/",
                [v for v in every if v.event.date.year == y]) for y in views.years]
    wanted += [(("timeline", d, value), "timeline.html", (d, value), f"timeline/{d}/{value}/",
                filtered(views, d, value)) for d in ("kind", "status", "mechanism")
               for value in fc[d]]
    timelines, year_page = [], {}
    for key, template, chosen, base, listed in wanted:
        chunks = split(listed, reach, costs=costs)
        pages = [(path, pager, Axis(tuple(chunk), tuple(running.get(v.id) for v in chunk),
                                    data))
                 for (path, pager), chunk in zip(paged(base, chunks), chunks)]
        timelines.append((key, template, chosen, pages))
        if key == ("timeline",):
            # newest first without a script: the same pages, the last first, each read
            # from its end (timeline_axis.html turns it round)
            timelines.append((("timeline", "newest"), template, chosen,
                              [(path, pager, years) for (path, pager), (_, _, years)
                               in zip(paged("timeline/newest/", [c[::-1] for c in chunks[::-1]]),
                                      pages[::-1])]))
        if template == "year.html":
            for (path, _, _), chunk in zip(pages, chunks):
                year_page.update((v.id, path) for v in chunk)
    chunks = split(views.ledger_tree(), reach, costs=costs)
    ledger = [(path, pager, tuple((v, v.parent and views.by_id[v.parent.id]) for v in chunk))
              for (path, pager), chunk in zip(paged("ledger/", chunks), chunks)]
    countries = {}
    for c in views.countries:
        chunks = split(list(c.events), reach, costs=costs)
        countries[c.code] = [(path, pager, tuple(chunk)) for (path, pager), chunk
                             in zip(paged(f"countries/{c.code.lower()}/", chunks), chunks)]
    return {"facets": fc, "timelines": timelines, "year_page": year_page, "ledger": ledger,
            "countries": countries}


def not_found_route() -> Route:
    """404.html: one file for every language (a host serves it for any missing path)."""
    return Route("404.html", "404.html", ("404",), {}, (), True)
