"""The pages of each language tree (routes), each with what it shows, and one tree's URLs."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..content.config import Config
from ..content.model import Article
from .i18n import Strings
from .timeline import axis, facets, filtered, paged, running_totals, split
from .views import EventView, Views


@dataclass(frozen=True)
class Route:
    path: str            # inside the language tree: "" (home), "events/<id>/" ...
    template: str
    key: tuple           # the same page in another language has the same key
    context: dict = field(default_factory=dict, compare=False)
    inputs: tuple | None = field(default=None, compare=False)  # what the page shows; None: all

    @property
    def file(self) -> str:
        return self.path + "index.html"


class Tree:
    """One language's tree: its URLs, its strings and the helpers the templates use."""

    def __init__(self, config: Config, lang: str, strings: Strings):
        self.config, self.lang, self.t = config, lang, strings
        self.prefix = "" if lang == config.default_language else f"{lang}/"

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


def routes(views: Views, lang: str, shared: dict | None = None) -> list[Route]:
    """The pages of one language tree, each with the model values it shows (`inputs`).
    `shared` keeps the inputs of a page every language has (one object, fingerprinted once)."""
    by_id = views.by_id
    shared = {} if shared is None else shared

    def near(v: EventView) -> tuple:
        if v.id not in shared:
            shared[v.id] = (v, v.parent and by_id[v.parent.id],
                            tuple(by_id[c.id] for c in v.children))
        return shared[v.id]
    # pages that show the whole site: the views are made from the configuration and the
    # site's content alone, whose parsed files the fingerprints know without walking them
    whole = shared.setdefault("", (views.config, views.site))
    lists = shared.get(("lists",))
    if lists is None:
        lists = shared[("lists",)] = _lists(views)
    out = [Route("", "home.html", ("home",), inputs=whole),
           Route("countries/", "countries.html", ("countries",), inputs=whole)]
    fc = lists["facets"]
    for key, template, chosen, pages in lists["timelines"]:
        for path, pager, years in pages:
            out.append(Route(path, template,
                             key if pager.number == 1 else (*key, "page", pager.number),
                             {"years": years, "pager": pager, "facets": fc, "filter": chosen},
                             (fc, chosen, years, pager)))
    for path, pager, rows in lists["ledger"]:
        out.append(Route(path, "ledger.html", ("ledger",) if pager.number == 1
                         else ("ledger", "page", pager.number), {"rows": rows, "pager": pager},
                         inputs=whole))
    where_is = lists["year_page"]
    events = views.events
    for i, v in enumerate(events):
        before = events[i - 1] if i else None
        after = events[i + 1] if i + 1 < len(events) else None
        out.append(Route(f"events/{v.id}/", "event.html", ("event", v.id),
                         {"view": v, "parent": near(v)[1], "parts": near(v)[2],
                          "previous": before, "next": after, "year_page": where_is[v.id]},
                         (*near(v), before, after, where_is[v.id])))
    for c in views.countries:
        for path, pager, chunk in lists["countries"][c.code]:
            out.append(Route(path, "country.html", ("country", c.code) if pager.number == 1
                             else ("country", c.code, "page", pager.number),
                             {"country": c, "events": chunk, "pager": pager},
                             (c, pager, chunk)))
    out += [Route(f"articles/{a.slug}/", "article.html", ("article", a.translation_key or a.slug),
                  {"article": a, "others": others, "covered": covered}, (a, others, covered))
            for a in views.articles if a.lang == lang
            for others, covered in [(views.translations(a), views.covered_by(a))]]
    out += [Route(f"{p.slug}/", "page.html", ("page", p.slug), {"page_item": p}, (p,))
            for p in views.pages(lang)]
    return out


def _lists(views: Views) -> dict:
    """The long lists of the site, each split into pages (the same in every language): the
    timeline, its pages per year, kind, status and mechanism, the ledger's rows and each
    country's events; and, for each event, the page of its year that lists it."""
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
        pages = [(path, pager, axis(chunk, running, data))
                 for (path, pager), chunk in zip(paged(base, chunks), chunks)]
        timelines.append((key, template, chosen, pages))
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
