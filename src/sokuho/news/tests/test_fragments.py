"""Boxes built from plain data are rendered once per distinct content, and a change in
the data shows at once."""

from unittest import mock

from django.template import engines

from sokuho.news import fragments


def related_box() -> str:
    return (
        engines["jinja2"].from_string("{{ related_reads(page) }}").render({"page": mock.Mock(id=7)})
    )


def test_same_data_renders_once_and_new_data_renders_anew():
    first = [{"url": "/japan/a/", "title": "青葉市で路面電車が開業", "section": "国内"}]
    second = [{"url": "/japan/b/", "title": "青葉市の路面電車、利用者1万人に", "section": "国内"}]
    fragments._rendered.clear()
    with (
        mock.patch("sokuho.related.reads.for_article", return_value=first),
        mock.patch.object(fragments, "get_template", wraps=fragments.get_template) as load,
    ):
        html = related_box()
        assert related_box() == html
        assert load.call_count == 1  # the second page reused the first one's HTML
    assert "路面電車が<wbr>開業" in html and 'href="/japan/a/"' in html
    with mock.patch("sokuho.related.reads.for_article", return_value=second):
        changed = related_box()
    assert "1万人" in changed and "開業" not in changed


def test_html_in_the_data_is_escaped_in_the_fragment():
    hostile = [{"url": "/x/", "title": "<script>alert(1)</script>", "section": ""}]
    with mock.patch("sokuho.related.reads.for_article", return_value=hostile):
        html = related_box()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_store_is_bounded(monkeypatch):
    monkeypatch.setattr(fragments, "MAX_FRAGMENTS", 3)
    for n in range(6):
        fragments.render_fragment("related/tags/related_reads.html", {"items": [], "n": n})
    assert len(fragments._rendered) == 3
