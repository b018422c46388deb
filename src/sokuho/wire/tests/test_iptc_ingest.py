"""Every IPTC sample through the whole ingest path: usable examples become articles,
everything else is logged with a reason, and nothing crashes (needs SOKUHO_WIRE_SAMPLES,
like test_iptc_samples)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sokuho.news.models import ArticlePage
from sokuho.wire.ingest import Ingestor
from sokuho.wire.models import Result, WireItemRecord
from sokuho.wire.tests.test_iptc_samples import LISTING_EXPECTED, ROOT, _require

pytestmark = pytest.mark.django_db
CRASHES = ("internal-error", "parser-error")


def sample_files(pattern: str) -> list[Path]:
    path = _require(ROOT)
    found = sorted(p for p in path.glob(pattern) if p.is_file())
    assert found, f"no IPTC samples match {pattern}"
    return found


def ingest_all(provider, paths: list[Path]) -> dict[Path, list]:
    ingestor = Ingestor(provider=provider)
    return {path: ingestor.ingest_bytes(path.read_bytes(), path.name) for path in paths}


def assert_no_crash() -> None:
    crashes = WireItemRecord.objects.filter(error_code__in=CRASHES)
    assert not crashes.exists(), [(r.filename, r.reason) for r in crashes]
    assert not WireItemRecord.objects.filter(result=Result.REJECTED, reason="").exists()


def test_newsml_g2_listing_examples_that_are_stories_become_articles(sample_provider):
    results = ingest_all(sample_provider, sample_files("iptc-newsml-g2/examples/*LISTING*.xml"))
    assert_no_crash()
    for path, outcomes in results.items():
        if LISTING_EXPECTED.get(path.name) == "ok":
            assert not any(o.rejected for o in outcomes), (path.name, outcomes)
        else:
            assert all(o.rejected for o in outcomes), (path.name, outcomes)
    articles = ArticlePage.objects.filter(provider=sample_provider)
    assert articles.count() >= 5
    assert all(article.title.strip() for article in articles)


def test_ninjs_text_and_picture_examples_become_articles(sample_provider):
    results = ingest_all(sample_provider, sample_files("iptc-newsinjson/examples/**/*.json"))
    assert_no_crash()
    made = [o for outcomes in results.values() for o in outcomes if o.article_id]
    assert len(made) >= 10


@pytest.mark.parametrize("kind", ["should_fail", "should_pass"])
def test_validation_suites_never_crash_ingest(sample_provider, kind):
    paths = [
        *sample_files(f"iptc-newsml-g2/unit_test_files/*/{kind}/*.xml"),
        *sample_files(f"iptc-newsinjson/test_suite/*/{kind}/*.json"),
    ]
    results = ingest_all(sample_provider, paths)
    assert_no_crash()
    assert sum(len(outcomes) for outcomes in results.values()) >= len(paths)
