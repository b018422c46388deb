"""The words' storage, which depends on the database (see sokuho.search.backends): an FTS5
table on SQLite, a tsvector column with a GIN index on PostgreSQL."""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(title, body, facets, pairs, "
    "tokenize=\"unicode61 remove_diacritics 0 categories 'L* N* Co M*' tokenchars '_'\")",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_fts"]
POSTGRES_CREATE = [
    "ALTER TABLE search_searchdocument ADD COLUMN IF NOT EXISTS vector tsvector "
    "NOT NULL DEFAULT ''",
    "ALTER TABLE search_searchdocument ADD COLUMN IF NOT EXISTS lead tsvector "
    "NOT NULL DEFAULT ''",
    "CREATE INDEX IF NOT EXISTS search_document_vector ON search_searchdocument "
    "USING GIN (vector)",
    # Both vectors out of line: the table itself stays small (about 80 bytes a row), so
    # counting tens of thousands of hits reads few pages.
    "ALTER TABLE search_searchdocument SET (toast_tuple_target = 128)",
]
POSTGRES_DROP = [
    "ALTER TABLE search_searchdocument RESET (toast_tuple_target)",
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS lead",
]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_document")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
