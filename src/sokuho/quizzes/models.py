"""Quiz articles: an article with questions, listed with 【クイズ】.

Each question's answer sits in a <details> element, so the quiz works with no
JavaScript at all; with JavaScript on, a small script scores the reader's choices.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.blocks import StructBlockValidationError
from wagtail.fields import StreamField

from sokuho.news.models import ArticlePage

CHOICE_MARKS = "ABCDEFGH"


class QuestionBlock(blocks.StructBlock):
    question = blocks.TextBlock(label="問題")
    choices = blocks.ListBlock(
        blocks.CharBlock(label="選択肢", max_length=200), min_num=2, max_num=8, label="選択肢"
    )
    answer = blocks.IntegerBlock(
        label="正解の番号", min_value=1, help_text="1番目の選択肢が正解なら 1。"
    )
    explanation = blocks.TextBlock(label="解説", required=False)

    class Meta:
        label = "問題"
        icon = "help"

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if value["answer"] > len(value["choices"]):
            raise StructBlockValidationError(
                block_errors={
                    "answer": ValidationError(
                        f"正解の番号は 1〜{len(value['choices'])} で指定してください。"
                    )
                }
            )
        return value


class QuizPage(ArticlePage):
    questions = StreamField(
        [("question", QuestionBlock())], verbose_name="問題", min_num=1, blank=False
    )

    parent_page_types = ["news.SectionPage"]
    subpage_types: list[str] = []
    template = "quizzes/quiz_page.html"

    content_panels = [
        *ArticlePage.content_panels[:4],
        FieldPanel("questions"),
        *ArticlePage.content_panels[4:],
    ]

    class Meta:
        verbose_name = "クイズ記事"
        verbose_name_plural = "クイズ記事"

    def save(self, *args: Any, **kwargs: Any) -> Any:
        self.label = "クイズ"  # the type is the label: listings show 【クイズ】
        return super().save(*args, **kwargs)

    def quiz(self) -> list[dict[str, Any]]:
        items = []
        for number, block in enumerate(self.questions, start=1):
            value = block.value
            choices = [
                {"mark": CHOICE_MARKS[i], "text": text, "correct": i + 1 == value["answer"]}
                for i, text in enumerate(value["choices"])
            ]
            answer = choices[value["answer"] - 1] if value["answer"] <= len(choices) else None
            items.append(
                {
                    "number": number,
                    "question": value["question"],
                    "choices": choices,
                    "answer": answer,
                    "explanation": value["explanation"],
                }
            )
        return items
