"""POST /pv/ from a reader's page, and everything hostile or broken a client can send."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from lxml import html as lxml_html

from sokuho.news.tests import factories
from sokuho.rankings import counting
from sokuho.rankings.models import HourlyViews
from sokuho.rankings.tests.test_counting import CHROME
from sokuho.rankings.views import MAX_BODY_BYTES

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"
SAME_ORIGIN = {"HTTP_ORIGIN": ORIGIN, "HTTP_SEC_FETCH_SITE": "same-origin"}


@pytest.fixture
def article():
    return factories.article(title="路面電車の利用者が初日で1万人")


def beacon(client: Client, body, *, content_type="application/json", **headers):
    headers = {"HTTP_USER_AGENT": CHROME, **SAME_ORIGIN, **headers}
    if not isinstance(body, (bytes, str)):
        body = json.dumps(body)
    return client.post("/pv/", body, content_type=content_type, **headers)


def views_of(page_id: int) -> int:
    counting.flush()
    return sum(HourlyViews.objects.filter(page_id=page_id).values_list("views", flat=True))


def test_a_view_from_the_article_page_is_counted(client, article):
    response = beacon(client, {"page": article.id})
    assert response.status_code == 204
    assert response.content == b""
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert views_of(article.id) == 1


def test_text_plain_beacons_and_csrf_checks(article):
    client = Client(enforce_csrf_checks=True)  # sendBeacon carries no CSRF token
    response = beacon(client, {"page": article.id}, content_type="text/plain;charset=UTF-8")
    assert response.status_code == 204
    assert views_of(article.id) == 1


def test_ten_reloads_count_once(client, article):
    for _ in range(10):
        assert beacon(client, {"page": article.id}).status_code == 204
    assert views_of(article.id) == 1


def test_bots_get_204_and_are_not_counted(client, article):
    googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    assert beacon(client, {"page": article.id}, HTTP_USER_AGENT=googlebot).status_code == 204
    assert beacon(client, {"page": article.id}, HTTP_USER_AGENT="").status_code == 204
    assert views_of(article.id) == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example", "HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "https://evil.example", "HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_ORIGIN": ORIGIN, "HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "null", "HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_ORIGIN": "", "HTTP_SEC_FETCH_SITE": ""},
    ],
)
def test_requests_not_sent_by_our_pages_are_not_counted(client, article, headers):
    assert beacon(client, {"page": article.id}, **headers).status_code == 204
    assert views_of(article.id) == 0


def test_without_origin_and_fetch_metadata_nothing_is_counted(client, article):
    response = client.post(
        "/pv/", json.dumps({"page": article.id}), "application/json", HTTP_USER_AGENT=CHROME
    )
    assert response.status_code == 204
    assert views_of(article.id) == 0


def test_origin_alone_or_fetch_metadata_alone_is_enough(client, article, settings):
    settings.SOKUHO_BASE_URL = "https://news.example.jp"
    assert beacon(client, {"page": article.id}, HTTP_SEC_FETCH_SITE="").status_code == 204
    other = Client()
    response = other.post(
        "/pv/",
        json.dumps({"page": article.id}),
        "application/json",
        HTTP_USER_AGENT=CHROME,
        HTTP_SEC_FETCH_SITE="same-origin",
        REMOTE_ADDR="192.0.2.99",
    )
    assert response.status_code == 204
    assert views_of(article.id) == 2


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe\x00",
        b"[1, 2]",
        b'"page"',
        b"null",
        b"{}",
        b'{"page": "12"}',
        b'{"page": -5}',
        b'{"page": 0}',
        b'{"page": 1.0}',
        b'{"page": 1e3}',
        b'{"page": true}',
        b'{"page": null}',
        b'{"page": [1]}',
        b'{"page": 9223372036854775808}',
        b'{"page": 99999999999999999999999999999999999999}',
        b"[" * 120 + b"]" * 120,
        b'{"page": NaN}',
    ],
)
def test_malformed_bodies_are_400(client, body):
    response = beacon(client, body)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_huge_bodies_are_400_without_being_read(client, article):
    body = json.dumps({"page": article.id, "padding": "x" * 10_000})
    assert beacon(client, body).status_code == 400
    assert beacon(client, b" " * (MAX_BODY_BYTES + 1)).status_code == 400
    assert views_of(article.id) == 0


@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "image/png", ""],
)
def test_wrong_content_types_are_400(client, article, content_type):
    response = beacon(client, f'{{"page": {article.id}}}', content_type=content_type)
    assert response.status_code == 400


def test_unknown_draft_and_unpublished_ids_are_404(client):
    assert beacon(client, {"page": 987654}).status_code == 404
    draft = factories.article(publish=False)
    assert beacon(client, {"page": draft.id}).status_code == 404
    gone = factories.article(title="取り下げる記事")
    assert beacon(client, {"page": gone.id}).status_code == 204
    gone.unpublish()
    assert beacon(client, {"page": gone.id}).status_code == 404
    section = factories.section()
    assert beacon(client, {"page": section.id}).status_code == 404  # not an article


def test_an_article_published_after_the_ids_were_loaded_is_found(client, article):
    assert beacon(client, {"page": article.id}).status_code == 204
    later = factories.article(title="後から公開した記事")
    assert beacon(client, {"page": later.id}).status_code == 204


def test_only_post(client, article):
    assert client.get("/pv/").status_code == 405
    assert client.put("/pv/", "{}", content_type="application/json").status_code == 405


def test_abusive_sources_are_rate_limited(client, article, settings):
    settings.SOKUHO_RANKINGS = {**settings.SOKUHO_RANKINGS, "RATE_LIMIT_PER_MINUTE": 5}
    statuses = [beacon(client, {"page": article.id}).status_code for _ in range(8)]
    assert statuses == [204] * 5 + [429] * 3
    limited = beacon(client, {"page": article.id})
    assert limited["Retry-After"] == "60"
    other = beacon(client, {"page": article.id}, REMOTE_ADDR="192.0.2.200")
    assert other.status_code == 204


def test_client_ip_header_behind_a_proxy(client, article, settings):
    settings.SOKUHO_RANKINGS = {
        **settings.SOKUHO_RANKINGS,
        "CLIENT_IP_HEADER": "X-Forwarded-For",
        "RATE_LIMIT_PER_MINUTE": 1,
    }
    first = beacon(client, {"page": article.id}, HTTP_X_FORWARDED_FOR="spoofed, 198.51.100.1")
    second = beacon(client, {"page": article.id}, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert (first.status_code, second.status_code) == (204, 204)
    assert views_of(article.id) == 2


def test_the_article_page_loads_the_beacon_script(client, article):
    response = client.get(article.url)
    tree = lxml_html.fromstring(response.content.decode())
    assert tree.xpath(f"//article[@data-page-id='{article.id}']")
    scripts = tree.xpath("//script[contains(@src, 'rankings/js/beacon.js')]")
    assert len(scripts) == 1
    assert scripts[0].get("defer") is not None
    assert scripts[0].get("data-endpoint") == "/pv/"
    # Never inline: a strict CSP is coming.
    assert not [s for s in tree.xpath("//script[not(@src)]") if "sendBeacon" in (s.text or "")]


def test_counting_goes_on_when_the_page_comes_from_a_cache(client, article):
    first = client.get(article.url)
    second = client.get(article.url)  # the page cache (when on) answers this one
    assert first.content == second.content
    assert b"rankings/js/beacon.js" in second.content
    other = Client()
    beacon(client, {"page": article.id})
    beacon(other, {"page": article.id}, REMOTE_ADDR="192.0.2.77")
    assert views_of(article.id) == 2


def test_the_beacon_script_is_first_party_and_cookieless(client):
    from django.contrib.staticfiles import finders

    with open(finders.find("rankings/js/beacon.js"), encoding="utf-8") as handle:
        script = handle.read()
    assert "sendBeacon" in script
    assert "document.cookie" not in script
    assert "localStorage" not in script
    assert "http" not in script.replace("https://", "").lower().split("*/", 1)[1]


def test_a_beacon_needs_no_query_once_the_ids_are_loaded(
    client, article, settings, django_assert_num_queries
):
    settings.SOKUHO_RANKINGS = {**settings.SOKUHO_RANKINGS, "FLUSH_SECONDS": 3600.0}
    beacon(client, {"page": article.id})  # loads the live ids
    with django_assert_num_queries(0):
        response = beacon(client, {"page": article.id}, REMOTE_ADDR="192.0.2.31")
    assert response.status_code == 204
    assert counting.recorder.pending() == 2


def test_quiz_articles_are_counted_too(client):
    from sokuho.quizzes.tests.test_quiz import make_quiz

    quiz = make_quiz()
    html = client.get(quiz.url).content.decode()
    assert "rankings/js/beacon.js" in html and "quizzes/js/quiz.js" in html
    assert beacon(client, {"page": quiz.id}).status_code == 204
    assert views_of(quiz.id) == 1
