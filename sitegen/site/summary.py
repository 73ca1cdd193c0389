"""The ledger diff as GitHub-flavoured Markdown, for a pull request's job summary.

Reviewers read it, and the content it quotes comes from untrusted pull requests (or from a
ledger.json anyone could write). Every such value is written by `code`: a code span, inside
which GFM makes no link, autolink, image, emphasis or HTML, and which content cannot leave.
Backslash escapes would not do: GitHub's renderer still autolinks `x\\@y\\.org`. The numbers
are checked to be integers before they get here (diff.ledger_file).
"""
from __future__ import annotations

import json
import re

from ..content.messages import Catalogue, english, msg

FIELDS = ("date", "status", "released", "part_of", "counted", "citizenship", "from",
          "destination", "articles", "sources")
# CommonMark ends a line at \r and \n only; the other breaks are kept out so that a value
# always stays on its line as a reader sees it too
_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
_WORD = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")


def code(value, in_table: bool = False) -> str:
    """`value` as a code span that shows exactly its text (line breaks as spaces).

    The fence is one backtick longer than the longest run of backticks inside; a value that
    begins or ends with a backtick or a space is padded with one space each side (CommonMark
    strips that pair, unless the span holds only spaces). In a table row a pipe would end the cell: GFM reads `\\|` as a pipe,
    inside code spans too.
    """
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = _BREAKS.sub(" ", text)
    if not text:
        return "—"
    if in_table:
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.strip(" ") and (text[0] in "` " or text[-1] in "` ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def word(value, in_table: bool = False) -> str:
    """A plain word (a status, a country code, a year) as it is; anything else as `code`."""
    return value if isinstance(value, str) and _WORD.fullmatch(value) else code(value, in_table)


def shown(n: dict | None) -> str:
    if n is None:
        return "—"
    if n["max"] is None:
        return f"≥ {n['min']}"
    return str(n["min"]) if n["min"] == n["max"] else f"{n['min']}–{n['max']}"


def change(before: dict | None, after: dict | None) -> str:
    """'+52', '−3', '±0', or 'a → b' when the two ends moved differently."""
    before = before or {"min": 0, "max": 0}
    after = after or {"min": 0, "max": 0}
    lo = after["min"] - before["min"]
    hi = None if None in (after["max"], before["max"]) else after["max"] - before["max"]
    if before["max"] is None and after["max"] is None or hi == lo:
        return f"+{lo}" if lo > 0 else f"−{-lo}" if lo < 0 else "±0"
    return f"{shown(before)} → {shown(after)}"


def diff_markdown(old: dict, new: dict, say: Catalogue | None = None) -> str:
    """The summary in the language of `say` (English by default)."""
    t = (say or english()).render
    header = t(msg("D-HEADER"))
    lines = [t(msg("D-TITLE")), "", header, "|---|---:|---:|---:|"]
    for bucket, label in (("confirmed", "D-CONFIRMED"), ("with_reported", "D-WITH-REPORTED")):
        a, b = old["totals"][bucket], new["totals"][bucket]
        lines.append(f"| {t(msg(label))} | {shown(a)} | {shown(b)} | {change(a, b)} |")
    before = {e["id"]: e for e in old["events"]}
    after = {e["id"]: e for e in new["events"]}
    added = [after[i] for i in after if i not in before]
    removed = [before[i] for i in before if i not in after]
    changed = [(before[i], after[i]) for i in after if i in before and before[i] != after[i]]
    if not (added or removed or changed):
        lines += ["", t(msg("D-NO-CHANGE"))]
    if added:
        lines += ["", t(msg("D-ADDED")), ""] + [f"- {_event(e, '+', t)}" for e in added]
    if removed:
        lines += ["", t(msg("D-REMOVED")), ""] + [f"- {_event(e, '−', t)}" for e in removed]
    if changed:
        lines += ["", t(msg("D-CHANGED")), ""]
        for a, b in changed:
            parts = [f"{k}: {_value(k, a.get(k))} → {_value(k, b.get(k))}"
                     for k in FIELDS if a.get(k) != b.get(k)]
            lines.append(f"- {code(b['id'])}: " + "; ".join(parts))
    for key, title in (("by_citizenship", "D-BY-CITIZENSHIP"),
                       ("by_destination", "D-BY-DESTINATION"), ("by_year", "D-BY-YEAR")):
        rows = []
        for k in sorted(set(old.get(key, {})) | set(new.get(key, {}))):
            a = old.get(key, {}).get(k, {}).get("confirmed")
            b = new.get(key, {}).get(k, {}).get("confirmed")
            if a != b:
                rows.append(f"| {word(k, in_table=True)} | {shown(a)} | {shown(b)} | "
                            f"{change(a, b)} |")
        if rows:
            lines += ["", t(msg(title)), "", header, "|---|---:|---:|---:|", *rows]
    return "\n".join(lines) + "\n"


def failed_markdown(name: str, problems: int, say: Catalogue | None = None) -> str:
    """What the summary says when a side's content has errors (listed by the check step)."""
    t = (say or english()).render
    return f"{t(msg('D-TITLE'))}\n\n{t(msg('D-NOT-COMPUTED', name=code(name), n=problems))}\n"


def _event(e: dict, sign: str, t) -> str:
    if e["counted"]:
        return f"{sign}{shown(e['released'])} {word(e.get('status'))}: {code(e['id'])}"
    why = t(msg("D-PART-OF", id=code(e["part_of"]))) if e.get("part_of") \
        else word(e.get("status"))
    return t(msg("D-NOT-COUNTED", id=code(e["id"]), released=shown(e["released"]), why=why))


def _value(key: str, value) -> str:
    if key == "released":
        return shown(value)
    if key == "citizenship":
        return ", ".join(f"{code(c)} {shown(n)}"
                         for c, n in sorted((value or {}).items())) or "—"
    if key == "status":
        return word(value)
    if isinstance(value, list):
        return ", ".join(code(v) for v in value) or "—"
    if isinstance(value, bool):
        return str(value).lower()
    return "—" if value is None else code(value)
