"""What a build gives back: its configuration, site, ledger, files and problems."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .content.config import Config
    from .content.diagnostics import Diagnostic
    from .content.ledger import Ledger
    from .content.model import Site


@dataclass(frozen=True)
class Result:
    config: Config
    site: Site | None           # None when nothing changed since the last build (build_cached)
    ledger: Ledger | None
    files: Mapping[str, bytes]  # every file of the output, by its path in it
    diagnostics: tuple[Diagnostic, ...]
    unchanged: int = 0          # files the old output already held, kept not rewritten
    seconds: float = 0.0
    rendered: int = 0           # pages made (not kept)
