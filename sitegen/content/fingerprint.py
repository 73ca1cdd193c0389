"""Stable digests of model values: equal values, equal digests, in any process."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import operator
import pickle
from pathlib import PurePath

from .model import Interval


class Fingerprints:
    """Stable digests of values: equal values, equal digests, in any process.

    Parsed files are known by the digest of their bytes and settings (`know`), so an article
    is never walked field by field; other values are walked once per build (memoised by
    identity, so a value met again costs a lookup)."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[bytes, object]] = {}   # id -> (digest, the value kept alive)
        self._depth = 0

    def know(self, value, fp: bytes) -> None:
        self._memo[id(value)] = (fp, value)

    def __call__(self, value) -> bytes:
        kind = type(value)
        if kind is str:
            return b"s" + value.encode("utf-8", "surrogatepass")
        if kind is Interval:
            return b"I%r,%r" % (value.lo, value.hi)
        if kind is int or kind is bool or value is None:
            return b"i%r" % value
        hit = self._memo.get(id(value))
        if hit is not None:
            return hit[0]
        if kind in _ATOMS or isinstance(value, (str, int, float, bytes, dt.date, PurePath)):
            return b"%s:%s" % (kind.__name__.encode(), repr(value).encode("utf-8", "surrogatepass"))
        if self._depth > _DEEP:
            return self._bottom_up(value)
        self._depth += 1
        try:
            return self._made(value, [self(item) for item in _children(value)])
        finally:
            self._depth -= 1

    def _made(self, value, parts: list[bytes]) -> bytes:
        kind = type(value)
        if kind is dict:
            parts = sorted(k + b"=" + v for k, v in zip(parts[::2], parts[1::2]))
        elif kind is frozenset or kind is set:
            parts = sorted(parts)
        # a pickle of the parts' list is an unambiguous encoding of them
        fp = _blake(_dumps((kind.__qualname__, parts), 4), digest_size=16).digest()
        self._memo[id(value)] = (fp, value)
        return fp

    def _bottom_up(self, value) -> bytes:
        """A value nested deeper than a recursion should go (a long chain of parts), its
        values made from the innermost out with a stack of its own."""
        stack = [(value, False)]
        while stack:
            item, ready = stack.pop()
            if id(item) in self._memo:
                continue
            children = _children(item)
            if ready:
                self._made(item, [self(child) for child in children])
                continue
            stack.append((item, True))
            stack.extend((child, False) for child in children if _composite(child)
                         and id(child) not in self._memo)
        return self._memo[id(value)][0]


def _children(value) -> list:
    kind = type(value)
    if kind is tuple or kind is list or kind is frozenset or kind is set:
        return list(value)
    if kind in _GETTERS or dataclasses.is_dataclass(kind):
        return list((_GETTERS.get(kind) or _getter(kind))(value))
    if kind is dict:
        return [x for pair in value.items() for x in pair]
    raise TypeError(f"no fingerprint for {kind.__qualname__}")


def _composite(value) -> bool:
    kind = type(value)
    return not (kind is str or kind is Interval or kind in _ATOMS
                or isinstance(value, (str, int, float, bytes, dt.date, PurePath)))


_DEEP = 200     # nesting walked by recursion; deeper, by a stack of its own


_blake = hashlib.blake2b
_dumps = pickle.dumps
_ATOMS = frozenset({type(None), bool, str, int, float, bytes, dt.date})
_GETTERS: dict[type, object] = {}   # dataclass -> a function giving its compared fields' values


def _getter(kind: type):
    names = [f.name for f in dataclasses.fields(kind) if f.compare]
    get = operator.attrgetter(*names) if names else (lambda value: ())
    _GETTERS[kind] = (lambda value: (get(value),)) if len(names) == 1 else get
    return _GETTERS[kind]
