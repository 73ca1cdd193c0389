"""Slotted frozen dataclasses pickle as a call with their field values."""
from __future__ import annotations

import dataclasses


def by_fields(cls):
    """Class decorator (above @dataclass). The default for a slotted dataclass restores it
    field by field through Python code, several times slower to load: the build cache
    (.sitegen-cache/) loads thousands of these on every build."""
    names = tuple(f.name for f in dataclasses.fields(cls))

    def __reduce__(self):
        return cls, tuple([getattr(self, name) for name in names])
    cls.__reduce__ = __reduce__
    return cls
