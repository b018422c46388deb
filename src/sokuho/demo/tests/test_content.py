"""Self-checks for the demo content module: plain data, no database needed."""

import re
from collections import Counter

import pytest

from sokuho.demo import content

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LABELS = {"", "クイズ", "解説", "独自", "インタビュー", "コラム", "特集"}
MOTIFS = {"city", "chart", "people", "nature", "tech", "stage"}
ARTICLE_KEYS = {
    "key",
    "section",
    "headline",
    "label",
    "summary",
    "paragraphs",
    "provider",
    "dateline",
    "authors",
    "topics",
    "hours_ago",
    "breaking_hours",
    "updated_hours_after",
    "corrections",
    "photo",
}
REAL_AGENCIES = [
    "ロイター",
    "共同通信",
    "時事通信",
    "AFP",
    "ＡＦＰ",
    "Reuters",
    "Kyodo",
    "Jiji",
    "Associated Press",
    "AP通信",
    "ブルームバーグ",
    "Bloomberg",
    "新華社",
]

ARTICLES = content.ARTICLES
SECTION_SLUGS = [slug for slug, _title, _description in content.SECTIONS]
PROVIDER_CODES = {provider["code"] for provider in content.PROVIDERS}
AUTHOR_SLUGS = {author["slug"] for author in content.AUTHORS}
TOPIC_SLUGS = {topic["slug"] for topic in content.TOPICS}
WIRE = [article for article in ARTICLES if article["provider"]]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Overrides the project-wide cache reset: this data needs neither Django nor a cache,
    so these tests also run with `-p no:django` while the settings are in flux."""
    yield


def all_text(article):
    parts = [article["headline"], article["summary"], *article["paragraphs"]]
    if article["photo"]:
        parts += [article["photo"]["caption"], article["photo"]["alt"]]
    return "\n".join(parts)


CORPUS = "\n".join(all_text(article) for article in ARTICLES)


def test_sample_notice():
    assert content.SAMPLE_NOTICE == (
        "この記事はsokuhoのデモ用に作成した架空のサンプル記事です。"
        "登場する人物・企業・団体・地名はすべて架空です。"
    )


def test_sections():
    assert [(slug, title) for slug, title, _ in content.SECTIONS] == [
        ("world", "ワールド"),
        ("business", "ビジネス"),
        ("japan", "日本"),
        ("tech", "テック"),
        ("culture", "カルチャー"),
        ("life", "ライフ"),
    ]
    assert all(description for _, _, description in content.SECTIONS)


def test_providers_are_two_fictional_agencies():
    assert len(content.PROVIDERS) == 2
    assert len(PROVIDER_CODES) == 2
    for provider in content.PROVIDERS:
        assert set(provider) == {"code", "name", "signature", "copyright_template"}
        assert SLUG.match(provider["code"])
        assert provider["signature"] in provider["name"]
        template = provider["copyright_template"]
        assert "{year}" in template and provider["name"] in template
        assert template.format(year=2030).startswith("Copyright (C) 2030 ")
        assert not any(real in provider["name"] for real in REAL_AGENCIES)


def test_authors():
    assert len(content.AUTHORS) >= 14
    assert len(AUTHOR_SLUGS) == len(content.AUTHORS)
    for author in content.AUTHORS:
        assert set(author) == {"slug", "name", "name_romanized", "affiliation", "bio"}
        assert SLUG.match(author["slug"]), author["slug"]
        assert author["name"] and author["affiliation"] and author["bio"]
    foreign = [author for author in content.AUTHORS if not author["name_romanized"]]
    assert len(foreign) >= 2, "some wire reporters with Latin names and no romanization"
    assert any("・" in author["name"] for author in content.AUTHORS)


def test_topics():
    assert len(content.TOPICS) >= 5
    assert len(TOPIC_SLUGS) == len(content.TOPICS)
    for topic in content.TOPICS:
        assert set(topic) == {"slug", "title", "description"}
        assert SLUG.match(topic["slug"])
        assert topic["title"] and topic["description"]
    usage = Counter(slug for article in ARTICLES for slug in article["topics"])
    for slug in TOPIC_SLUGS:
        assert usage[slug] >= 5, (slug, usage[slug])


def test_article_counts():
    assert len(ARTICLES) >= 90
    per_section = Counter(article["section"] for article in ARTICLES)
    assert set(per_section) == set(SECTION_SLUGS)
    assert all(count >= 10 for count in per_section.values()), per_section
    assert len(WIRE) >= 32
    assert {article["provider"] for article in WIRE} == PROVIDER_CODES


def test_keys_unique_and_ascii():
    keys = [article["key"] for article in ARTICLES]
    assert len(keys) == len(set(keys))
    assert all(SLUG.match(key) for key in keys)


@pytest.mark.parametrize("article", ARTICLES, ids=lambda article: article["key"])
def test_article_shape(article):
    assert set(article) == ARTICLE_KEYS
    assert article["section"] in SECTION_SLUGS
    headline = article["headline"]
    assert 15 <= len(headline) <= 40, len(headline)
    assert not headline.startswith("【")
    assert headline == headline.strip()
    assert article["label"] in LABELS
    summary = article["summary"]
    assert 40 <= len(summary) <= 120, len(summary)
    assert 1 <= summary.count("。") <= 2
    assert 4 <= len(article["paragraphs"]) <= 7
    for paragraph in article["paragraphs"]:
        assert 80 <= len(paragraph) <= 200, (len(paragraph), paragraph)
    assert article["provider"] is None or article["provider"] in PROVIDER_CODES
    assert isinstance(article["dateline"], str)
    assert 1 <= len(article["authors"]) <= 3
    assert len(set(article["authors"])) == len(article["authors"])
    assert set(article["authors"]) <= AUTHOR_SLUGS
    assert len(article["topics"]) <= 2
    assert len(set(article["topics"])) == len(article["topics"])
    assert set(article["topics"]) <= TOPIC_SLUGS


@pytest.mark.parametrize("article", ARTICLES, ids=lambda article: article["key"])
def test_article_times(article):
    hours_ago = article["hours_ago"]
    assert 0.5 <= hours_ago <= 1430
    assert article["breaking_hours"] >= 0
    updated = article["updated_hours_after"]
    assert 0 <= updated < hours_ago, "an update cannot lie in the future"
    for correction in article["corrections"]:
        assert set(correction) == {"hours_after", "note"}
        assert 0 < correction["hours_after"] < hours_ago
        assert correction["note"].endswith("訂正しました。")


@pytest.mark.parametrize("article", ARTICLES, ids=lambda article: article["key"])
def test_article_photo(article):
    photo = article["photo"]
    if photo is None:
        return
    assert set(photo) == {"caption", "credit", "alt", "hue", "motif"}
    assert photo["caption"] and photo["credit"] and photo["alt"]
    assert isinstance(photo["hue"], int) and 0 <= photo["hue"] <= 359
    assert photo["motif"] in MOTIFS


@pytest.mark.parametrize("article", WIRE, ids=lambda article: article["key"])
def test_wire_stories(article):
    assert article["dateline"]
    assert 1 <= len(article["authors"]) <= 3
    assert article["photo"] is not None
    name = next(p["name"] for p in content.PROVIDERS if p["code"] == article["provider"])
    assert name in article["photo"]["credit"]


def test_wire_bylines_mostly_foreign_reporters():
    foreign = {
        author["slug"]
        for author in content.AUTHORS
        if not author["name_romanized"] or "・" in author["name"]
    }
    bylines = [slug for article in WIRE for slug in article["authors"]]
    assert sum(slug in foreign for slug in bylines) > len(bylines) / 2


def test_timeline_spread():
    hours = [article["hours_ago"] for article in ARTICLES]
    assert sum(hour < 48 for hour in hours) >= 10
    assert sum(hour < 6 for hour in hours) >= 4
    assert max(hours) > 1000
    breaking = [
        article
        for article in ARTICLES
        if article["hours_ago"] < 3 and 6 <= article["breaking_hours"] <= 24
    ]
    assert len(breaking) >= 4
    assert sum(article["updated_hours_after"] > 0 for article in ARTICLES) >= 8
    assert sum(bool(article["corrections"]) for article in ARTICLES) >= 3


def test_photos_and_labels():
    assert sum(article["photo"] is not None for article in ARTICLES) >= 60
    labels = Counter(article["label"] for article in ARTICLES)
    assert labels["クイズ"] >= 2
    assert labels["解説"] >= 2
    assert labels["独自"] >= 2


def test_vocabulary_for_search():
    for word in [
        "台風",
        "原発",
        "物価",
        "円安",
        "選挙",
        "三者協議",
        "314人",
        "アンナ・ベルク",
        "コンピューター",
        "バイオリン",
        "ヴァイオリン",
        "ウィットモア",
        "ウィトモア",
        "ＡＩ",
        "AI",
        "つばさ競技大会",
    ]:
        assert word in CORPUS, word
    assert re.search(r"コンピュータ(?!ー)", CORPUS)


def test_spelling_variants_live_in_different_articles():
    def keys_with(pattern):
        return {a["key"] for a in ARTICLES if re.search(pattern, all_text(a))}

    for first, second in [
        ("ウィットモア", "ウィトモア"),
        ("バイオリン", "ヴァイオリン"),
        ("コンピュータ(?!ー)", "コンピューター"),
        ("ＡＩ", "AI"),
    ]:
        assert keys_with(first) - keys_with(second), first
        assert keys_with(second) - keys_with(first), second


def test_no_real_agencies_mentioned():
    for real in REAL_AGENCIES:
        assert real not in CORPUS, real
    credits = " ".join(a["photo"]["credit"] for a in ARTICLES if a["photo"])
    for real in REAL_AGENCIES:
        assert real not in credits, real
