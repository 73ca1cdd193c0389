"""Sites of hostile shape, as files: the reproductions of issue 20's items 3, 4 and 7.

    python -m tests.hostile_sites chain 100000 /tmp/deep     # then: sitegen check --root /tmp/deep

Events are written five lines each, at most EVENTS_PER_FILE a file (an article may name at
most 20 events); `per_file` writes more, as the issue's one-file reproductions did.
"""
from __future__ import annotations

import sys
from pathlib import Path

EVENTS_PER_FILE = 20
HEAD = ["---", "title: Hostile", "date: 2025-01-01", "sources:",
        "  - url: https://reports.test/a", "    publisher: Example", "events:"]


def pyproject(templates: Path) -> str:
    return ('[tool.sitegen]\ntitle = "Test"\nbase_url = "https://example.org/"\n'
            f'languages = ["en"]\nreleasing_country = "BY"\ntemplates_dir = "{templates.as_posix()}"\n'
            # shapes of 100,000 events: past the bound a site has unless it says more
            "max_events = 1000000\nmax_articles = 1000000\n")


def release(event_id: str, released: int, part_of: str | None, date: str = "2025-01-01"):
    return [f"  - id: {event_id}", f"    date: {date}", "    kind: release",
            f"    released: {released}",
            f"    part_of: {part_of}" if part_of else "    status: confirmed"]


def events(kind: str, n: int) -> list[list[str]]:
    if kind == "chain":     # e0 <- e1 <- ... : n levels deep
        return [release(f"e{i}", n - i, f"e{i - 1}" if i else None) for i in range(n)]
    if kind == "cycle":     # e0 -> e1 -> ... -> e(n-1) -> e0
        return [release(f"e{i}", 1, f"e{(i + 1) % n}") for i in range(n)]
    if kind == "parts":     # n same-date, same-count parts of one root
        return [release("root", n, None, "2025-01-02")] + \
            [release(f"e{i}", 1, "root") for i in range(n)]
    raise ValueError(kind)


def write_site(kind: str, n: int, dest: Path, templates: Path,
               per_file: int = EVENTS_PER_FILE) -> int:
    """The site into dest; returns the bytes of content written."""
    (dest / "content/articles").mkdir(parents=True, exist_ok=True)
    (dest / "pyproject.toml").write_text(pyproject(templates), encoding="utf-8")
    blocks = events(kind, n)
    size = 0
    for k in range(0, len(blocks), per_file):
        lines = HEAD + [line for block in blocks[k:k + per_file] for line in block]
        path = dest / f"content/articles/{kind}-{k // per_file:03d}.md"
        path.write_text("\n".join(lines + ["---", "Body."]) + "\n", encoding="utf-8")
        size += path.stat().st_size
    return size


def write_typos(n: int, dest: Path, templates: Path) -> int:
    """n declared ids and, in another file, a reference to each with two letters swapped;
    returns the size of the files of references."""
    (dest / "content/articles").mkdir(parents=True, exist_ok=True)
    (dest / "pyproject.toml").write_text(pyproject(templates), encoding="utf-8")
    ids = [f"2025-01-01-release-{i:05d}" for i in range(n)]
    declared = [line for x in ids for line in
                (f"  - id: {x}", "    date: 2025-01-01", "    kind: statement")]
    refs = [f"  - ref: {x.replace('release', 'relaese')}" for x in ids]
    size = 0
    for k in range(0, n, EVENTS_PER_FILE):
        (dest / f"content/articles/declared-{k // EVENTS_PER_FILE:03d}.md").write_text(
            "\n".join(HEAD + declared[3 * k:3 * (k + EVENTS_PER_FILE)] + ["---", "Body."]) + "\n",
            encoding="utf-8")
        path = dest / f"content/articles/typos-{k // EVENTS_PER_FILE:03d}.md"
        path.write_text("\n".join(HEAD + refs[k:k + EVENTS_PER_FILE] + ["---", "Body."]) + "\n",
                        encoding="utf-8")
        size += path.stat().st_size
    return size


if __name__ == "__main__":
    kind, count, folder = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    theme = Path(__file__).parent.parent / "templates"
    written = write_typos(count, folder, theme) if kind == "typos" else \
        write_site(kind, count, folder, theme)
    print(f"{written} bytes written under {folder}")
