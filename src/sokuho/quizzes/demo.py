"""Demo quiz articles: fictional questions, marked as sample content."""

from __future__ import annotations

from datetime import datetime, timedelta

from sokuho.quizzes.models import QuizPage

QUIZZES = [
    {
        "section": "japan",
        "slug": "quiz-week-news",
        "hours_ago": 20,
        "title": "今週のニュース、どれだけ覚えていますか　3問に挑戦",
        "summary": "この一週間のニュースから3問。答えは各問の「答えを見る」で確かめられます。",
        "questions": [
            (
                "架空の青葉市で開業した新しい交通機関は？",
                ["路面電車", "ロープウェー", "水上バス"],
                1,
                "青葉市では路面電車が開業しました（デモ用の架空のニュースです）。",
            ),
            (
                "日本の標準時の基準となる子午線は東経何度？",
                ["東経130度", "東経135度", "東経140度"],
                2,
                "日本標準時は兵庫県明石市などを通る東経135度の子午線が基準です。",
            ),
            (
                "「号」と「発売日」、週刊誌で先に来るのは？",
                ["号の日付", "発売日"],
                2,
                "週刊誌は号の日付より前に発売されるのが一般的です。",
            ),
        ],
    },
    {
        "section": "culture",
        "slug": "quiz-japanese-words",
        "hours_ago": 60,
        "title": "ニュースでよく見る言葉クイズ　「速報」と「号外」",
        "summary": "ニュースでよく目にする言葉の意味を確かめる3問です。",
        "questions": [
            (
                "新聞が臨時に発行する印刷物を何という？",
                ["号外", "付録", "別冊"],
                1,
                "大きな出来事があったときに臨時に発行されるのが号外です。",
            ),
            (
                "記事冒頭の［キーウ 5日 ロイター］のような部分を何という？",
                ["見出し", "リード", "クレジット（発信地表示）"],
                3,
                "発信地と日付、配信元を示す部分で、英語ではデートラインと呼ばれます。",
            ),
            (
                "雑誌の「MOOK」は何と何を組み合わせた言葉？",
                ["MagazineとBook", "ModelとLook", "MonthlyとBook"],
                1,
                "雑誌（Magazine）と書籍（Book）の性格をあわせ持つ出版物です。",
            ),
        ],
    },
]


def load_quiz_demo(now: datetime) -> None:
    from sokuho.news.models import ArticlePage, SectionPage

    for item in QUIZZES:
        if QuizPage.objects.filter(slug=item["slug"]).exists():
            continue
        questions = [
            (
                "question",
                {"question": q, "choices": choices, "answer": answer, "explanation": explanation},
            )
            for q, choices, answer, explanation in item["questions"]
        ]
        page = QuizPage(
            title=item["title"],
            slug=item["slug"],
            summary=item["summary"],
            body=(
                f"<p>{item['summary']}</p><p><i>※この記事はデモ用の架空のサンプル記事です。</i></p>"
            ),
            questions=questions,
        )
        SectionPage.objects.get(slug=item["section"]).add_child(instance=page)
        page.save_revision().publish()
        published = now - timedelta(hours=item["hours_ago"])
        ArticlePage.objects.filter(pk=page.pk).update(
            first_published_at=published, last_published_at=published
        )
