"""Quiz articles: listed with 【クイズ】, answerable without JavaScript, scored with it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from lxml import html as lxml_html

from conftest import launch_chromium
from sokuho.news.tests import factories
from sokuho.quizzes.models import QuestionBlock, QuizPage

pytestmark = pytest.mark.django_db

QUESTIONS = [
    (
        "question",
        {
            "question": "日本標準時の基準の子午線は？",
            "choices": ["東経130度", "東経135度", "東経140度"],
            "answer": 2,
            "explanation": "明石市などを通る東経135度です。",
        },
    ),
    (
        "question",
        {
            "question": "MOOKはMagazineと何の合成語？",
            "choices": ["Book", "Look"],
            "answer": 1,
            "explanation": "",
        },
    ),
]


def make_quiz(**fields) -> QuizPage:
    page = QuizPage(
        title="今週のニュースクイズ　2問に挑戦",
        body="<p>2問に答えてください。</p>",
        questions=QUESTIONS,
        **fields,
    )
    factories.section("japan").add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def tree_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml_html.fromstring(response.content.decode())


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_quiz_page_shows_questions_with_answers_in_details(client):
    quiz = make_quiz()
    tree = tree_of(client, quiz.url)
    assert text(tree.xpath("//h1")[0]).startswith("【クイズ】今週のニュースクイズ")
    questions = tree.xpath("//fieldset[contains(@class,'quiz__question')]")
    assert len(questions) == 2
    first = questions[0]
    assert "第1問" in text(first.xpath("legend")[0])
    assert [text(label) for label in first.xpath(".//label")] == [
        "A. 東経130度",
        "B. 東経135度",
        "C. 東経140度",
    ]
    assert first.xpath(".//input[@type='radio']/@name") == ["q1", "q1", "q1"]
    answer = first.xpath(".//details")[0]
    assert answer.get("open") is None  # hidden until the reader opens it
    assert text(answer.xpath("summary")[0]) == "答えを見る"
    assert "正解：B. 東経135度" in text(answer)
    assert "明石市" in text(answer)
    # Scoring is offered only once the script has run.
    assert tree.xpath("//*[contains(@class,'quiz__scoring')]")[0].get("hidden") is not None
    assert tree.xpath("//script[contains(@src,'quizzes/js/quiz.js')]")
    scripts = [src for src in tree.xpath("//script/@src") if "quiz.js" not in src]
    article = factories.article(title="普通の記事")
    plain = tree_of(client, article.url).xpath("//script/@src")
    assert [s.split("/")[-1].split(".")[0] for s in scripts] == [
        s.split("/")[-1].split(".")[0] for s in plain
    ]  # the article page's own scripts are kept
    # The article body and dateline still render.
    assert "2問に答えてください" in text(tree.xpath("//*[contains(@class,'article__body')]")[0])


def test_quiz_is_listed_with_its_label(client):
    quiz = make_quiz()
    assert quiz.label == "クイズ"
    for url in ("/japan/", "/"):
        tree = tree_of(client, url)
        titles = [text(t) for t in tree.xpath("//a[contains(@href, $u)]", u=quiz.url)]
        assert any(title.startswith("【クイズ】") or "【クイズ】" in title for title in titles), url


def test_quiz_in_feeds_has_its_label(client):
    make_quiz()
    assert "【クイズ】今週のニュースクイズ" in client.get("/feeds/rss.xml").content.decode()


def test_answer_number_must_match_a_choice():
    block = QuestionBlock()
    value = block.to_python(
        {"question": "問題", "choices": ["A", "B"], "answer": 3, "explanation": ""}
    )
    with pytest.raises(ValidationError):
        block.clean(value)
    ok = block.to_python(
        {"question": "問題", "choices": ["A", "B"], "answer": 2, "explanation": ""}
    )
    assert block.clean(ok)["answer"] == 2


def test_sections_accept_quiz_pages():
    from sokuho.news.models import SectionPage

    assert QuizPage in SectionPage.allowed_subpage_models()


@pytest.mark.browser
def test_script_scores_the_answers(client, chromium_path):
    """The page as served, with its script, in Chromium (no server needed: the HTML and
    the script are handed to the browser directly)."""
    from django.contrib.staticfiles import finders
    from playwright.sync_api import sync_playwright

    quiz = make_quiz()
    page_html = client.get(quiz.url).content.decode()
    script = finders.find("quizzes/js/quiz.js")
    # The ORM is done before Playwright's event loop starts in this thread.
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium_path)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.abort())  # nothing leaves this machine
            page.set_content(page_html)
            assert not page.get_by_role("button", name="採点する").is_visible()
            page.add_script_tag(path=script)
            page.get_by_label("B. 東経135度").check()
            page.get_by_role("button", name="採点する").click()
            assert "未回答" in page.locator(".quiz__result").inner_text()
            page.get_by_label("A. Book").check()
            page.get_by_role("button", name="採点する").click()
            assert page.locator(".quiz__result").inner_text() == "2問中2問正解です。"
            page.get_by_label("B. Look").check()
            page.get_by_role("button", name="採点する").click()
            assert page.locator(".quiz__result").inner_text() == "2問中1問正解です。"
            assert page.locator("details").first.evaluate("d => d.open")
        finally:
            browser.close()
