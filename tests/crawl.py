"""A link checker over built files held in memory: every internal link and anchor resolves,
nothing is loaded from another origin."""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

LOADING = {("link", "href"), ("script", "src"), ("img", "src"), ("iframe", "src"),
           ("source", "src"), ("video", "src"), ("audio", "src"), ("embed", "src"),
           ("object", "data"), ("image", "href"), ("use", "href"), ("input", "src"),
           ("track", "src"), ("img", "srcset"), ("source", "srcset"), ("video", "poster")}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str, dict]] = []   # (tag, attr, url, all attributes)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if value is not None and (name in ("href", "src", "data", "srcset", "poster",
                                               "action", "formaction")):
                self.links.append((tag, name, value, dict(attrs)))


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def crawl(files: dict[str, bytes], base_url: str) -> list[str]:
    """Problems: broken internal links or anchors, and anything loaded from elsewhere."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    base_path = urlsplit(base_url).path
    pages = {name: parse(data.decode("utf-8")) for name, data in files.items()
             if name.endswith(".html")}
    problems = []
    for name, page in sorted(pages.items()):
        here = origin + base_path + (name[:-len("index.html")] if name.endswith("index.html")
                                     else name)
        for tag, attr, url, attrs in page.links:
            absolute = urljoin(here, url)
            parts = urlsplit(absolute)
            external = f"{parts.scheme}://{parts.netloc}" != origin
            if (tag, attr) in LOADING and not (tag == "link" and _names_a_page(attrs)):
                if external or parts.scheme not in ("http", "https"):
                    problems.append(f"{name}: <{tag} {attr}={url!r}> loads from another origin")
                    continue
            if external:
                continue
            target, fragment = urldefrag(absolute)
            path = unquote(urlsplit(target).path)
            if not path.startswith(base_path):
                problems.append(f"{name}: {url!r} is outside the base path {base_path}")
                continue
            file = path[len(base_path):]
            if file == "" or file.endswith("/"):
                file += "index.html"
            if file not in files:
                problems.append(f"{name}: broken link {url!r} (no {file})")
            elif fragment and file in pages and fragment not in pages[file].ids:
                problems.append(f"{name}: broken anchor {url!r} (no id {fragment!r} in {file})")
    return problems


def _names_a_page(attrs: dict) -> bool:
    """<link rel=canonical|alternate> names another page and loads nothing."""
    return set((attrs.get("rel") or "").split()) <= {"canonical", "alternate"}
