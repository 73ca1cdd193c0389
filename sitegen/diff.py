"""`sitegen diff`: what a change does to the ledger's numbers, as Markdown for a job summary."""
from __future__ import annotations

import json
from pathlib import Path

from .build import build
from .data import ledger_json


def load_ledger(where: Path) -> dict:
    """The ledger of a site folder (built in memory) or of a data/ledger.json file."""
    if where.is_file():
        return json.loads(where.read_text(encoding="utf-8"))
    return ledger_json(build(where, write=False).ledger)


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


FIELDS = ("date", "status", "released", "part_of", "counted", "citizenship", "from",
          "destination", "articles", "sources")


def diff_markdown(old: dict, new: dict) -> str:
    lines = ["## Ledger changes", "", "| | before | after | change |", "|---|---:|---:|---:|"]
    for bucket, label in (("confirmed", "Confirmed"), ("with_reported", "Including reported")):
        a, b = old["totals"][bucket], new["totals"][bucket]
        lines.append(f"| {label} | {shown(a)} | {shown(b)} | {change(a, b)} |")
    before = {e["id"]: e for e in old["events"]}
    after = {e["id"]: e for e in new["events"]}
    added = [after[i] for i in after if i not in before]
    removed = [before[i] for i in before if i not in after]
    changed = [(before[i], after[i]) for i in after if i in before and before[i] != after[i]]
    if not (added or removed or changed):
        lines += ["", "No release event was added, removed or changed."]
    if added:
        lines += ["", "### Events added", ""] + [f"- {_event(e, '+')}" for e in added]
    if removed:
        lines += ["", "### Events removed", ""] + [f"- {_event(e, '−')}" for e in removed]
    if changed:
        lines += ["", "### Events changed", ""]
        for a, b in changed:
            parts = [f"{k}: {_value(k, a.get(k))} → {_value(k, b.get(k))}"
                     for k in FIELDS if a.get(k) != b.get(k)]
            lines.append(f"- `{b['id']}`: " + "; ".join(parts))
    for key, title in (("by_citizenship", "By citizenship"), ("by_destination", "By destination"),
                       ("by_year", "By year")):
        rows = []
        for k in sorted(set(old.get(key, {})) | set(new.get(key, {}))):
            a = old.get(key, {}).get(k, {}).get("confirmed")
            b = new.get(key, {}).get(k, {}).get("confirmed")
            if a != b:
                rows.append(f"| {k} | {shown(a)} | {shown(b)} | {change(a, b)} |")
        if rows:
            lines += ["", f"### {title} (confirmed)", "", "| | before | after | change |",
                      "|---|---:|---:|---:|", *rows]
    return "\n".join(lines) + "\n"


def _event(e: dict, sign: str) -> str:
    if e["counted"]:
        return f"{sign}{shown(e['released'])} {e['status']}: `{e['id']}`"
    why = f"part of `{e['part_of']}`" if e["part_of"] else e["status"]
    return f"`{e['id']}` ({shown(e['released'])}, not counted: {why})"


def _value(key: str, value) -> str:
    if key == "released":
        return shown(value)
    if key == "citizenship":
        return ", ".join(f"{c} {shown(n)}" for c, n in sorted((value or {}).items())) or "—"
    if isinstance(value, list):
        return ", ".join(value) or "—"
    return "—" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
