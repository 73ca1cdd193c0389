"""The published JSON Schema and the CONTRIBUTING reference are made from the validator's
own field tables; these tests keep the committed copies in sync and the two in agreement."""
import json
import re
from pathlib import Path

import pytest

from sitegen.content.config import load_config
from sitegen.content.reference import reference_markdown
from sitegen.content.schema import schema_json
from sitegen.content.yamlstrict import parse_yaml

ROOT = Path(__file__).parent.parent
jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture(scope="module")
def config():
    return load_config(ROOT)


@pytest.fixture(scope="module")
def validator(config):
    schema = json.loads(schema_json(config))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schema_is_current(config):
    assert (ROOT / "schema/article.schema.json").read_text(encoding="utf-8") == \
        schema_json(config), "run: sitegen schema > schema/article.schema.json"


def test_contributing_reference_is_current(config):
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- BEGIN GENERATED[^\n]*-->\n(.*?)<!-- END GENERATED -->", text, re.S)
    assert match, "CONTRIBUTING.md lost its generated section markers"
    assert match[1] == reference_markdown(config), \
        "run: sitegen schema --reference --lang en, and paste it between the markers"


def front_matter(path: Path) -> dict:
    """The front matter as sitegen's own strict YAML reader sees it."""
    return parse_yaml(path.read_text(encoding="utf-8").split("---\n")[1]).plain()


@pytest.mark.parametrize("path", sorted((ROOT / "tests/sites/sample/content/articles")
                                        .rglob("*.md")), ids=lambda p: p.stem)
def test_schema_accepts_valid_articles(validator, path):
    assert [e.message for e in validator.iter_errors(front_matter(path))] == []


@pytest.mark.parametrize("case", [
    "article-unknown-key", "event-unknown-key", "kind-misspelt", "status-invalid",
    "release-missing-status-and-released", "snapshot-missing-held", "key-on-wrong-kind",
    "sources-empty", "source-missing-publisher", "mechanism-invalid", "event-id-invalid",
    "tags-not-slugs", "missing-required-keys", "ref-with-facts", "lang-unknown",
    "draft-yes-is-not-boolean", "distinct-from-wrong-form"])
def test_schema_rejects_what_check_rejects(validator, case):
    path = next((ROOT / "tests/invalid" / case).rglob("*.md"))
    assert list(validator.iter_errors(front_matter(path))) != []
