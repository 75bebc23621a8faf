"""Generated files are up to date: JSON Schemas, the model reference and the case summaries."""

from __future__ import annotations

import json
from pathlib import Path

from kg.docgen import cases_markdown, vocabulary_markdown
from kg.schema import json_schemas

ROOT = Path(__file__).resolve().parent.parent
HINT = "run `negkg schema` and `negkg docs` and commit the result"


def test_json_schemas_are_current():
    for name, schema in json_schemas().items():
        assert json.loads((ROOT / "data" / "schema" / name).read_text()) == schema, HINT


def test_vocabulary_doc_is_current():
    assert (ROOT / "docs" / "vocabulary.md").read_text() == vocabulary_markdown(), HINT


def test_cases_doc_is_current(graph):
    assert (ROOT / "docs" / "cases.md").read_text() == cases_markdown(graph), HINT


def test_case_schema_accepts_a_shipped_case():
    import jsonschema
    import yaml

    schema = json.loads((ROOT / "data" / "schema" / "case.schema.json").read_text())
    doc = yaml.safe_load((ROOT / "tests" / "fixtures" / "mini" / "cases" / "river-1990.yaml").read_text())
    doc = json.loads(json.dumps(doc, default=str))  # dates as strings, as editors see them
    jsonschema.validate(doc, schema)


def test_readme_sample_output_is_real(graph):
    """The sample rows in the README are what the commands print."""
    import re

    import kg

    text = (ROOT / "README.md").read_text()
    block = text.split("$ negkg query interest-provision-links --case camp-david-1978 --format json\n", 1)[1]
    row = json.loads(block.split("\n  },", 1)[0] + "\n  }")
    assert row in kg.query("interest-provision-links", case="camp-david-1978", graph=graph).rows
    csv_block = text.split("$ negkg query shared-interests --case paris-2015 --format csv\n", 1)[1].split("...", 1)[0]
    actual = kg.query("shared-interests", case="paris-2015", graph=graph).to_csv().splitlines()
    for line in csv_block.strip().splitlines():
        assert line in actual, line
    assert re.search(
        r"python3 -m venv \.venv && \.venv/bin/pip install -q -e \"\.\[test\]\" && \.venv/bin/python -m pytest", text
    )
    assert text.count(".venv/bin/python -m pytest") == 1 and ".venv/bin/python -m pytest" in (ROOT / ".ci" / "run").read_text()
