"""Markdown bodies: markdown-it-py with raw HTML off, safe links, no images from elsewhere."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination
from markdown_it.token import Token
from slugify import slugify

from .diagnostics import WARNING, Diagnostic
from .messages import msg
from .fields import CONTROL, MAYBE_CONTROL, code_point, find_control

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
_CONTROL = re.compile("[\x00-\x1f]")
# a link target without <>, escapes, parentheses or control characters, ending where a
# link's target ends (a space or its ')')
_PLAIN_TARGET = re.compile(r"[^\s()<>\\\x00-\x20\x7f]*(?=[ \t)])")
ALLOWED_SCHEMES = ("http", "https", "mailto")
# bidi embeddings, overrides and isolates are dropped from bodies: they can reorder text
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# and so are the control characters and noncharacters no web page or feed may hold (the
# same set front matter refuses, fields.CONTROL); a body keeps its text, less those
_DROPPED = re.compile(_BIDI.pattern[:-1] + CONTROL.pattern[1:])
_MAYBE_DROPPED = re.compile(_BIDI.pattern[:-1] + MAYBE_CONTROL.pattern[1:])   # see fields


def _without_dropped(text: str) -> str:
    return _DROPPED.sub("", text) if _MAYBE_DROPPED.search(text) else text


def link_allowed(url: str) -> bool:
    """http, https, mailto or relative; nothing else (javascript:, data:, vbscript: ...)."""
    url = url.strip()
    if _CONTROL.search(url):
        return False
    scheme = _SCHEME.match(url)
    return scheme is None or scheme[1].lower() in ALLOWED_SCHEMES


def _heading_slug(text: str) -> str:
    # the backend named: "auto" would try to import unidecode for every heading (and give
    # other ids where it is installed)
    return slugify(text, lowercase=True, backend="text-unidecode") or "section"


def _heading_ids(state) -> None:
    """An id on every h2-h4 from its text, made unique by -1, -2 ... as mdit_py_plugins'
    anchors plugin makes them, but in linear time: its search for a free suffix starts at 1
    for every heading, so a body of 100,000 equal headings took 10^10 steps. Here each text
    remembers the next suffix to try (a taken one stays taken)."""
    taken: set[str] = set()
    suffix: dict[str, int] = {}
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "heading_open" or token.tag not in ("h2", "h3", "h4"):
            continue
        title = "".join(child.content for child in tokens[i + 1].children or ()
                        if child.type in ("text", "code_inline"))
        slug = unique = _heading_slug(title)
        n = suffix.get(slug, 1)
        while unique in taken:
            unique = f"{slug}-{n}"
            n += 1
        suffix[slug] = n
        taken.add(unique)
        token.attrSet("id", unique)


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.core.ruler.push("heading_ids", _heading_ids)
    md.validateLink = link_allowed
    return md


@dataclass(frozen=True)
class Rendered:
    html: str
    summary: str          # the first paragraph as plain text


def render_markdown(text: str, base_path: str) -> Rendered:
    """HTML for a body. Site-absolute links get the base path; images from another origin
    become links, so a page never loads anything from elsewhere."""
    md = _parser()
    tokens = md.parse(_without_dropped(text))
    for token in tokens:
        if token.type in ("th_open", "td_open"):
            _align_by_class(token)
        for child in token.children or ():
            _fix_inline(child, base_path)
    html = md.renderer.render(tokens, md.options, {})
    return Rendered(html, first_paragraph(tokens))


def _align_by_class(token: Token) -> None:
    """Table alignment as a class: a style attribute would break the pages' CSP."""
    style = token.attrGet("style")
    if style and style.startswith("text-align:"):
        token.attrs.pop("style")
        token.attrSet("class", "align-" + style.split(":", 1)[1])


def _fix_inline(token: Token, base_path: str) -> None:
    if token.type == "link_open":
        href = token.attrGet("href") or ""
        if href.startswith("/") and not href.startswith("//"):
            token.attrSet("href", base_path + href[1:])
        elif _SCHEME.match(href) or href.startswith("//"):
            token.attrSet("rel", "noopener noreferrer")
    elif token.type == "image":
        src = token.attrGet("src") or ""
        if _SCHEME.match(src) or src.startswith("//"):
            _image_to_link(token, src)
        elif src.startswith("/"):
            token.attrSet("src", base_path + src[1:])


def _image_to_link(token: Token, src: str) -> None:
    """![alt](https://elsewhere/x.png) -> a link 'alt' to the image, never loaded."""
    alt = "".join(c.content for c in token.children or ()) or src
    token.type, token.tag, token.nesting = "text", "", 0
    token.attrs = {}
    token.children = None
    token.content = ""
    token.meta = {"link": (src, alt)}
    token.type = "external_image"


def _render_external_image(self, tokens, idx, options, env) -> str:
    from markupsafe import escape
    src, alt = tokens[idx].meta["link"]
    return (f'<a class="external-image" href="{escape(src)}" rel="noopener noreferrer">'
            f'{escape(alt)}</a>')


def first_paragraph(tokens: list[Token]) -> str:
    for i, token in enumerate(tokens):
        if token.type == "paragraph_open" and i + 1 < len(tokens):
            return _plain(tokens[i + 1]).strip()
    return ""


def _plain(inline: Token) -> str:
    parts = []
    for child in inline.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "external_image":
            parts.append(child.meta["link"][1])
    return "".join(parts)


def lint_markdown(text: str, path: str, first_line: int) -> list[Diagnostic]:
    """Warnings for link targets that will be shown as plain text (javascript:, data: ...)."""
    out = []
    any_hidden = _BIDI.search(text)
    any_control = find_control(text)
    for line_no, line in enumerate(text.split("\n")):
        hidden = any_hidden and _BIDI.search(line)
        if hidden:
            out.append(Diagnostic(path, first_line + line_no, hidden.start() + 1, WARNING,
                                  msg("W-BIDI", char=f"U+{ord(hidden[0]):04X}")))
        control = any_control and CONTROL.search(line)
        if control:     # many of them are counted in one line (diagnostics.cap_warnings)
            out.append(Diagnostic(path, first_line + line_no, control.start() + 1, WARNING,
                                  msg("W-CONTROL", char=code_point(control[0]))))
        if "]" not in line and "<" not in line:     # no link, definition or autolink
            continue
        targets = []
        for match in re.finditer(r"\]\(\s*", line):
            plain = _PLAIN_TARGET.match(line, match.end())
            if plain:       # what parseLinkDestination would find, without its loop
                targets.append(plain[0])
                continue
            found = parseLinkDestination(line, match.end(), len(line))
            if found.ok:
                targets.append(line[match.end():found.pos].strip("<>"))
        definition = re.match(r"\s{0,3}\[[^\]]+\]:\s*(\S+)", line)
        if definition:
            targets.append(definition[1].strip("<>"))
        autolink = re.findall(r"<([a-zA-Z][a-zA-Z0-9+.\-]{1,31}:[^<>\s]*)>", line)
        targets += autolink
        for target in dict.fromkeys(targets):
            if target and not link_allowed(html.unescape(target)):
                out.append(Diagnostic(path, first_line + line_no, 1, WARNING,
                                      msg("W-LINK-TARGET", target=target[:60])))
    return out


_parser().add_render_rule("external_image", _render_external_image)
