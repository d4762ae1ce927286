"""Every documented object carries a comment, and docs/data_dictionary.md says what the
migrated database says."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg

from newsfacts.dictionary import SCHEMAS, Column, Function, Relation, Schema, render

COMMITTED = Path(__file__).parent.parent / "docs" / "data_dictionary.md"

UNCOMMENTED = """
    SELECT 'schema ' || n.nspname
    FROM pg_namespace n
    WHERE n.nspname = ANY (%(schemas)s) AND obj_description(n.oid, 'pg_namespace') IS NULL
    UNION ALL
    SELECT 'relation ' || n.nspname || '.' || c.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY (%(schemas)s) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
      AND obj_description(c.oid, 'pg_class') IS NULL
    UNION ALL
    SELECT 'column ' || n.nspname || '.' || c.relname || '.' || a.attname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname = ANY (%(schemas)s) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
      AND col_description(c.oid, a.attnum) IS NULL
    UNION ALL
    SELECT 'function ' || n.nspname || '.' || p.proname
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = ANY (%(schemas)s) AND obj_description(p.oid, 'pg_proc') IS NULL
    ORDER BY 1
"""


def test_every_schema_table_view_column_and_function_has_a_comment(warehouse):
    with psycopg.connect(warehouse) as conn:
        missing = [name for (name,) in conn.execute(UNCOMMENTED, {"schemas": list(SCHEMAS)})]
    assert missing == [], "add COMMENT ON in a new migration for: " + ", ".join(missing)


def test_the_committed_data_dictionary_is_current(warehouse, tmp_path):
    generated = tmp_path / "data_dictionary.md"
    env = {**os.environ, "WAREHOUSE_DSN": warehouse}
    subprocess.run([sys.executable, "-m", "newsfacts.cli", "dictionary", "--output", str(generated)],
                   env=env, check=True, timeout=60)
    assert generated.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8"), (
        "docs/data_dictionary.md is out of date: run `make dictionary` and commit the result"
    )


def test_dictionary_lists_columns_in_order_and_keeps_table_cells_intact():
    schema = Schema("core", "Derived.", True, [
        Relation("articles", "table", "One row per article.", [
            Column("article_id", "bigint", False, "Surrogate key."),
            Column("note", "text", True, "Either | or\nboth."),
        ]),
    ], [Function("entities_named", "names text", "TABLE(entity_id text)", "Ids of a | b.", True)])
    markdown = render([schema, Schema("marts", None, True, [], [])])
    table = markdown[markdown.index("| column |"):].splitlines()
    assert table[2:4] == ["| `article_id` | bigint | no | Surrogate key. |",
                          "| `note` | text | yes | Either \\| or both. |"]
    assert "*table* — One row per article." in markdown
    assert "\n## marts\n" in markdown and "No tables or views yet." in markdown
    assert "| `core.entities_named(names text)` | TABLE(entity_id text) | yes | Ids of a \\| b. |" in markdown
    assert "Functions in marts" not in markdown
