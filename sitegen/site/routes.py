"""The pages of each language tree (routes), each with what it shows, and one tree's URLs."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..content.config import Config
from ..content.model import Article
from .i18n import Strings
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
    out = [Route("", "home.html", ("home",), inputs=whole),
           Route("timeline/", "timeline.html", ("timeline",), inputs=whole),
           Route("countries/", "countries.html", ("countries",), inputs=whole),
           Route("ledger/", "ledger.html", ("ledger",), inputs=whole)]
    if views.config.search:     # the page of the search index (sitegen/search.py)
        out.append(Route("search/", "search.html", ("search",), {"search_page": True}, whole))
    out += [Route(f"timeline/{y}/", "year.html", ("year", y), {"year": y},
                  shared.setdefault(("year", y), (views.years, tuple(views.grouped(y)))))
            for y in views.years]
    out += [Route(f"events/{v.id}/", "event.html", ("event", v.id),
                  {"view": v, "parent": near(v)[1], "parts": near(v)[2]}, near(v))
            for v in views.events]
    out += [Route(f"countries/{c.code.lower()}/", "country.html", ("country", c.code),
                  {"country": c}, (c,)) for c in views.countries]
    out += [Route(f"articles/{a.slug}/", "article.html", ("article", a.translation_key or a.slug),
                  {"article": a, "others": others, "covered": covered}, (a, others, covered))
            for a in views.articles if a.lang == lang
            for others, covered in [(views.translations(a), views.covered_by(a))]]
    out += [Route(f"{p.slug}/", "page.html", ("page", p.slug), {"page_item": p}, (p,))
            for p in views.pages(lang)]
    return out
