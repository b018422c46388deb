"""An editor's preview renders the article as readers will see it."""

import pytest
from lxml import html as lxml_html

from sokuho.news.tests import factories

pytestmark = pytest.mark.django_db


def test_preview_of_an_unpublished_edit_shows_the_new_headline():
    page = factories.article("japan", title="青葉市で新庁舎が完成（テスト用）")
    page.title = "青葉市の新庁舎、来月から業務開始（テスト用）"
    response = page.make_preview_request()
    assert response.status_code == 200
    tree = lxml_html.fromstring(response.content)
    assert "来月から" in tree.xpath("string(//h1)")
    assert tree.xpath("//div[@class='article__body']//p")
