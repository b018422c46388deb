"""Databases migrated with an early 0002 lack the term pairs and the ``lead`` vector
(sokuho.search.backends): the storage is brought up to date and the index emptied; the
post_migrate handler then indexes every article again. On a database migrated from
scratch there is nothing to empty."""

from importlib import import_module

from django.db import migrations

storage = import_module("sokuho.search.migrations.0002_full_text_storage")


def add_pairs(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM pragma_table_info('search_fts')")
            if "pairs" in {row[0] for row in cursor.fetchall()}:
                return
        for statement in storage.SQLITE_DROP + storage.SQLITE_CREATE:
            schema_editor.execute(statement)
        schema_editor.execute("DELETE FROM search_searchdocument")
    elif connection.vendor == "postgresql":
        for statement in storage.POSTGRES_CREATE:  # adds ``lead``
            schema_editor.execute(statement)
        schema_editor.execute("DELETE FROM search_searchdocument")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_storage")]

    operations = [migrations.RunPython(add_pairs, migrations.RunPython.noop)]
