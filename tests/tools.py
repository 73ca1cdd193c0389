"""External checkers the quality tests run: Java, the npm packages in tools/node_modules, lxml.

A test that needs one skips with a reason when it is absent, unless SITEGEN_REQUIRE_BROWSER=1
(as in CI, which installs them all), where the absence is a failure.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
NODE_MODULES = ROOT / "tools" / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
SITEMAP_XSD = NODE_MODULES / "sitemap" / "schema" / "sitemap.xsd"
# jing, the RELAX NG validator, ships inside vnu.jar (the Nu checker validates with it)
JING_MAIN = "nu.validator.vendor.thaiopensource.relaxng.util.Driver"
NPM_HINT = "npm ci --prefix tools --ignore-scripts"


def unavailable(reason: str):
    """Skip the test, or fail it when SITEGEN_REQUIRE_BROWSER=1."""
    if os.environ.get("SITEGEN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"tool required (SITEGEN_REQUIRE_BROWSER=1): {reason}")
    pytest.skip(reason)


def require_tool(name: str) -> str:
    """The path of a program on PATH (e.g. 'java'), or a skip/failure."""
    path = shutil.which(name)
    if path is None:
        hint = {"java": "apt-get install default-jre-headless"}.get(name, "install it")
        unavailable(f"{name} not found on PATH ({hint})")
    return path


def require_file(path: Path) -> Path:
    """A file from tools/node_modules, or a skip/failure."""
    if not path.is_file():
        unavailable(f"{path.relative_to(ROOT)} not found ({NPM_HINT})")
    return path


def require_module(name: str):
    """An importable Python module (a test extra), or a skip/failure."""
    try:
        return __import__(name, fromlist=["_"])
    except ImportError:
        unavailable(f"Python module {name} is not installed (pip install -e '.[test]')")
