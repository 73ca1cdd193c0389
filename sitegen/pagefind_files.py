"""Pagefind's bundle made the same bytes for the same pages (byte-identical builds).

Pagefind (1.5) indexes pages in parallel and numbers them in the order they finish, and
writes some lists in the order of a hash map: from run to run the page numbers differ (in
the meta file's list of pages, the word index and the filters), as do the order of filter
values, of the filters in each meta file and of the languages in pagefind-entry.json. The
fragments (one per page, named from its content) do not change. So each language's pages
are numbered again in the order of their fragments' names, the lists that refer to them
are rewritten and sorted, and since the files' names carry a hash of their content (the
meta file names the index and filter files, the entry file the meta files), they are named
again from the new content. The files are gzip around a 'pagefind_dcd' signature and CBOR
(read and written with cbor2, whose C code is four times faster than Python's).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re

import cbor2

from .content.messages import Problem, msg

SIGNATURE = b"pagefind_dcd"
META = re.compile(r"pagefind/pagefind\.([a-z0-9_-]+?)_([0-9a-f]+)\.pf_meta")


class BundleError(Problem):
    """A file of the bundle is not as this module knows Pagefind writes it."""


def stable(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle (output name -> bytes) with its pages numbered, its lists sorted and its
    files named as the same pages always give. `files` holds the meta, index and filter
    files and pagefind-entry.json at least; the others are returned as they are."""
    out = dict(files)
    metas: dict[str, str] = {}              # language -> its new meta hash name
    for name in sorted(files):
        found = META.fullmatch(name)
        if not found:
            continue
        lang = found.group(1)
        meta = _load(files[name])
        if not (isinstance(meta, list) and len(meta) >= 4
                and all(isinstance(meta[k], list) for k in (1, 2, 3))):
            raise BundleError(msg("C-BUNDLE-META", name=name))
        pages = meta[1]
        order = sorted(range(len(pages)), key=lambda i: (pages[i][0], i))
        renumber = {old: new for new, old in enumerate(order)}
        meta[1] = [pages[i] for i in order]
        for chunk in meta[2]:       # [first word, last word, file]
            chunk[2] = _rewrite(out, f"pagefind/index/{chunk[2]}.pf_index", lang,
                                lambda words: _index(words, renumber))
        meta[3] = sorted([key, _rewrite(out, f"pagefind/filter/{ref}.pf_filter", lang,
                                        lambda value: _filter(value, renumber))]
                         for key, ref in meta[3])
        data = _dump(meta)
        new = f"{lang}_{hashlib.sha256(data).hexdigest()[:10]}"
        metas[f"{lang}_{found.group(2)}"] = new
        del out[name]
        out[f"pagefind/pagefind.{new}.pf_meta"] = _pack(data)
    entry_name = "pagefind/pagefind-entry.json"
    if entry_name in out:
        entry = json.loads(out[entry_name])
        languages = entry.get("languages", {})
        for lang in languages.values():
            lang["hash"] = metas.get(lang["hash"], lang["hash"])
        entry["languages"] = dict(sorted(languages.items()))
        out[entry_name] = json.dumps(entry, ensure_ascii=False,
                                     separators=(",", ":")).encode("utf-8")
    return out


def _rewrite(files: dict[str, bytes], name: str, lang: str, change) -> str:
    """Replace one index or filter file with `change` of its value, named from its new
    content; the new name's hash part ('en_1a2b3c4')."""
    if name not in files:
        raise BundleError(msg("C-BUNDLE-MISSING", name=name))
    data = _dump(change(_load(files.pop(name))))
    new = f"{lang}_{hashlib.sha256(data).hexdigest()[:7]}"
    files[f"{name.rsplit('/', 1)[0]}/{new}.{name.rsplit('.', 1)[1]}"] = _pack(data)
    return new


def _index(value, renumber: dict[int, int]):
    """A chunk of the word index: [[word, pages, [[variant, pages], ...]], ...] first, where
    each of `pages` is [page number minus the previous one, positions...]."""
    if not (isinstance(value, list) and value and isinstance(value[0], list)):
        raise BundleError(msg("C-BUNDLE-INDEX"))
    for word in value[0]:
        word[1] = _pages(word[1], renumber)
        for variant in (word[2] if len(word) > 2 else ()):
            variant[1] = _pages(variant[1], renumber)
    return value


def _pages(entries: list, renumber: dict[int, int]) -> list:
    at, numbered = 0, []
    for entry in entries:
        at += entry[0]
        numbered.append((renumber[at], entry))
    numbered.sort(key=lambda pair: pair[0])
    out, last = [], 0
    for number, entry in numbered:
        out.append([number - last, *entry[1:]])
        last = number
    return out


def _filter(value, renumber: dict[int, int]):
    """A filter file: [name, [[value, [page numbers]], ...]]."""
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[1], list)):
        raise BundleError(msg("C-BUNDLE-FILTER"))
    key, values = value
    return [key, sorted([v, sorted(renumber[p] for p in pages), *rest]
                        for v, pages, *rest in values)]


def _load(data: bytes):
    raw = gzip.decompress(data)
    if not raw.startswith(SIGNATURE):
        raise BundleError(msg("C-BUNDLE-SIGNATURE"))
    try:
        return cbor2.loads(raw[len(SIGNATURE):])
    except cbor2.CBORDecodeError as exc:
        raise BundleError(msg("C-BUNDLE-CBOR", detail=str(exc))) from None


def _pack(data: bytes) -> bytes:
    # level 6 (zlib's default): level 9 makes these files 1% smaller and 8 times slower
    return gzip.compress(data, compresslevel=6, mtime=0)


def _dump(value) -> bytes:
    """The value as Pagefind's encoder writes it (the shortest form of each item: cbor2
    writes the same bytes)."""
    return SIGNATURE + cbor2.dumps(value)
