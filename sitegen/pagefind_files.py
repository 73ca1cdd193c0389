"""Pagefind's bundle made the same bytes for the same pages (byte-identical builds).

Pagefind (1.5) indexes pages in parallel and numbers them in the order they finish, and
writes some lists in the order of a hash map: from run to run the page numbers differ (in
the meta file's list of pages, the word index and the filters), as do the order of filter
values, of the filters in each meta file and of the languages in pagefind-entry.json. The
fragments (one per page, named from its content) do not change. So each language's pages
are numbered again in the order of their fragments' names, the lists that refer to them
are rewritten and sorted, and since the files' names carry a hash of their content (the
meta file names the index and filter files, the entry file the meta files), they are named
again from the new content. The files are gzip around a 'pagefind_dcd' signature and CBOR.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import struct

SIGNATURE = b"pagefind_dcd"
META = re.compile(r"pagefind/pagefind\.([a-z0-9_-]+?)_([0-9a-f]+)\.pf_meta")


class BundleError(Exception):
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
            raise BundleError(f"{name}: not a Pagefind 1.x meta file")
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
        raise BundleError(f"{name}: named by a meta file, not in the bundle")
    data = _dump(change(_load(files.pop(name))))
    new = f"{lang}_{hashlib.sha256(data).hexdigest()[:7]}"
    files[f"{name.rsplit('/', 1)[0]}/{new}.{name.rsplit('.', 1)[1]}"] = _pack(data)
    return new


def _index(value, renumber: dict[int, int]):
    """A chunk of the word index: [[word, pages, [[variant, pages], ...]], ...] first, where
    each of `pages` is [page number minus the previous one, positions...]."""
    if not (isinstance(value, list) and value and isinstance(value[0], list)):
        raise BundleError("not a Pagefind word index chunk")
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
        raise BundleError("not a Pagefind filter file")
    key, values = value
    return [key, sorted([v, sorted(renumber[p] for p in pages), *rest]
                        for v, pages, *rest in values)]


def _load(data: bytes):
    raw = gzip.decompress(data)
    if not raw.startswith(SIGNATURE):
        raise BundleError("not a Pagefind file (no signature)")
    value, end = _decode(raw, len(SIGNATURE))
    if end != len(raw):
        raise BundleError("trailing bytes after the CBOR value")
    return value


def _pack(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def _dump(value) -> bytes:
    out = bytearray(SIGNATURE)
    _encode(value, out)
    return bytes(out)


def _decode(b: bytes, i: int):
    """One CBOR value at b[i:] (the kinds Pagefind writes: integers, strings, arrays, maps)."""
    major, info = b[i] >> 5, b[i] & 31
    i += 1
    if info < 24:
        n = info
    elif 24 <= info <= 27:
        size = 1 << (info - 24)
        n = int.from_bytes(b[i:i + size], "big")
        i += size
    else:
        raise BundleError(f"CBOR item of an unknown kind at byte {i - 1}")
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major in (2, 3):
        chunk = b[i:i + n]
        return (bytes(chunk) if major == 2 else chunk.decode("utf-8")), i + n
    if major == 4:
        items = []
        for _ in range(n):
            item, i = _decode(b, i)
            items.append(item)
        return items, i
    if major == 5:
        pairs = {}
        for _ in range(n):
            key, i = _decode(b, i)
            pairs[key], i = _decode(b, i)
        return pairs, i
    raise BundleError(f"CBOR item of an unknown kind at byte {i - 1}")


def _head(major: int, n: int, out: bytearray) -> None:
    """The shortest head, as Pagefind's encoder writes it."""
    if n < 24:
        out.append(major << 5 | n)
    elif n < 1 << 8:
        out += bytes((major << 5 | 24, n))
    elif n < 1 << 16:
        out += bytes((major << 5 | 25,)) + struct.pack(">H", n)
    elif n < 1 << 32:
        out += bytes((major << 5 | 26,)) + struct.pack(">I", n)
    else:
        out += bytes((major << 5 | 27,)) + struct.pack(">Q", n)


def _encode(value, out: bytearray) -> None:
    if isinstance(value, bool) or value is None:
        raise BundleError("CBOR simple values are not expected in Pagefind's files")
    if isinstance(value, int):
        _head(0, value, out) if value >= 0 else _head(1, -1 - value, out)
    elif isinstance(value, bytes):
        _head(2, len(value), out)
        out += value
    elif isinstance(value, str):
        data = value.encode("utf-8")
        _head(3, len(data), out)
        out += data
    elif isinstance(value, list):
        _head(4, len(value), out)
        for item in value:
            _encode(item, out)
    elif isinstance(value, dict):
        _head(5, len(value), out)
        for key, item in value.items():
            _encode(key, out)
            _encode(item, out)
    else:
        raise BundleError(f"cannot encode {type(value).__name__}")
