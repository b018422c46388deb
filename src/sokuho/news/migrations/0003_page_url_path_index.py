"""An index on Wagtail's page url_path.

Readers' article URLs are looked up by url_path (sokuho.news.routing.find_live_article),
and Wagtail's page table has no index on it: every uncached article request scanned
every page row. The table is Wagtail's, so the index is plain SQL (the same on SQLite
and PostgreSQL)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0002_sponsored_articles"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS sokuho_page_url_path ON wagtailcore_page (url_path)",
            "DROP INDEX IF EXISTS sokuho_page_url_path",
        )
    ]
