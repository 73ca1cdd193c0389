"""How the cache pickles the model: a slotted frozen dataclass as a call with its field values.

Python's default for a slotted dataclass restores it field by field through Python code,
several times slower to load, and the cache loads thousands of them on every build. The
model's classes are registered here (copyreg), so that the model itself knows nothing of it.
"""
from __future__ import annotations

import copyreg
import dataclasses

from ..content import diagnostics, ledger, model


def _by_fields(cls: type) -> None:
    names = tuple(f.name for f in dataclasses.fields(cls))
    copyreg.pickle(cls, lambda value: (cls, tuple([getattr(value, name) for name in names])))


for _module in (model, ledger, diagnostics):
    for _value in list(vars(_module).values()):
        if (isinstance(_value, type) and dataclasses.is_dataclass(_value)
                and _value.__module__ == _module.__name__ and "__slots__" in vars(_value)):
            _by_fields(_value)
