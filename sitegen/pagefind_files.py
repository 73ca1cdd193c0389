"""Pagefind's bundle made the same bytes for the same pages (byte-identical builds).

Pagefind (1.5) writes three things in the order of a hash map, different from run to run:
the languages of pagefind-entry.json, the filters listed in each language's meta file, and
the values inside each filter file. The words, pages and fragments are in a stable order.
Those files are read (gzip around a 'pagefind_dcd' signature and CBOR), put in order and
written again; since their names carry a hash of their content (and the meta file names the
filter files, the entry file the meta files), the names are made from the new content.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import struct

SIGNATURE = b"pagefind_dcd"
FILTER = re.compile(r"pagefind/filter/([a-z0-9_-]+?)_([0-9a-f]+)\.pf_filter")
META = re.compile(r"pagefind/pagefind\.([a-z0-9_-]+?)_([0-9a-f]+)\.pf_meta")


class BundleError(Exception):
    """A file of the bundle is not as this module knows Pagefind writes it."""


def stable(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle (output name -> bytes) with its unordered parts sorted and renamed."""
    out = dict(files)
    renamed: dict[str, str] = {}            # old hash name of a filter file -> new
    for name in sorted(files):
        found = FILTER.fullmatch(name)
        if not found:
            continue
        lang = found.group(1)
        key, values = _load(files[name])
        data = _dump([key, sorted(values, key=lambda v: v[0])])
        new = f"{lang}_{hashlib.sha256(data).hexdigest()[:7]}"
        renamed[f"{lang}_{found.group(2)}"] = new
        del out[name]
        out[f"pagefind/filter/{new}.pf_filter"] = _pack(data)
    metas: dict[str, str] = {}              # language -> its new meta hash name
    for name in sorted(files):
        found = META.fullmatch(name)
        if not found:
            continue
        lang = found.group(1)
        meta = _load(files[name])
        if not (isinstance(meta, list) and len(meta) >= 4 and isinstance(meta[3], list)):
            raise BundleError(f"{name}: not a Pagefind 1.x meta file")
        meta[3] = sorted([key, renamed.get(ref, ref)] for key, ref in meta[3])
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
