"""The admin's 配信 menu: the ingest log (受信記録), each provider's rules, the providers.

The log is a record of what came in: it is viewed and filtered, never edited. A wire
article the provider killed carries a warning in the page editor and stays locked.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import InspectView, SnippetViewSet, SnippetViewSetGroup

from sokuho.news.models import Provider
from sokuho.wire.models import WireItemRecord, WireRule, WireStory


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Records are what happened: view them, never add, edit or delete them."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(WireItemRecord, ReadOnlyPolicy(WireItemRecord))


def _article_link(record: WireItemRecord) -> str:
    if record.article_id is None:
        return ""
    url = reverse("wagtailadmin_pages:edit", args=(record.article_id,))
    return format_html('<a href="{}">記事 #{}</a>', url, record.article_id)


def _result(record: WireItemRecord) -> str:
    return format_html(
        '<span class="w-status{}">{}</span>',
        " w-status--primary" if record.result in ("published", "updated", "corrected") else "",
        record.get_result_display(),
    )


class WireRecordInspectView(InspectView):
    def get_article_display_value(self) -> str:
        return _article_link(self.object) or "—"

    def get_summary_display_value(self) -> str:
        text = json.dumps(self.object.summary, ensure_ascii=False, indent=2)
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', text)

    def get_warnings_display_value(self) -> str:
        return format_html(
            '<pre style="white-space: pre-wrap">{}</pre>', self.object.warnings or "—"
        )

    def get_document_display_value(self) -> str:
        document = self.object.document
        if document is None:
            return "—"
        size = f"{document.size:,} バイト" + ("（先頭のみ保存）" if document.truncated else "")
        url = reverse("wire_document", args=(self.object.pk,))
        return format_html('<a href="{}">受信したデータをダウンロード</a>（{}）', url, size)


class WireRecordViewSet(SnippetViewSet):
    model = WireItemRecord
    inspect_view_class = WireRecordInspectView
    icon = "download"
    menu_label = "受信記録"
    url_prefix = "wire/records"
    list_display = [
        DateColumn("received_at", label="受信日時"),
        "provider",
        Column("headline", label="見出し", accessor=lambda r: r.headline or r.filename or "—"),
        Column("version", label="版", accessor="version_label"),
        Column("result", label="処理", accessor=_result),
        Column("reason", label="理由", accessor=lambda r: r.reason[:120]),
        Column("article", label="記事", accessor=_article_link),
    ]
    list_filter = ["provider", "result", "source"]
    search_fields = ["guid", "headline", "filename"]
    search_backend_name = None
    list_per_page = 50
    copy_view_enabled = False
    add_to_reference_index = False  # a log links to articles; nothing links to a log entry
    inspect_view_enabled = True
    inspect_view_fields = [
        "received_at",
        "source",
        "provider",
        "guid",
        "version",
        "version_created",
        "format",
        "status",
        "signals",
        "headline",
        "result",
        "reason",
        "error_code",
        "warnings",
        "filename",
        "article",
        "summary",
        "document",
    ]

    def get_queryset(self, request: HttpRequest):
        return WireItemRecord.objects.select_related("provider")


class WireRuleViewSet(SnippetViewSet):
    model = WireRule
    icon = "cogs"
    menu_label = "配信ルール"
    url_prefix = "wire/rules"
    list_display = ["provider", "publish_mode", "default_section", "token_set_at"]
    copy_view_enabled = False


class ProviderViewSet(SnippetViewSet):
    model = Provider
    icon = "site"
    menu_label = "配信元"
    url_prefix = "wire/providers"
    list_display = ["name", "code", "signature"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("signature"),
        FieldPanel("copyright_template"),
    ]


class WireGroup(SnippetViewSetGroup):
    menu_label = "配信"
    menu_icon = "download"
    menu_order = 250
    items = (WireRecordViewSet, WireRuleViewSet, ProviderViewSet)


register_snippet(WireGroup)


def download_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The bytes exactly as received (or their head, for a refused document)."""
    if not ReadOnlyPolicy(WireItemRecord).user_has_permission(request.user, "view"):
        return HttpResponse("権限がありません。", status=403)
    record = get_object_or_404(WireItemRecord.objects.select_related("document"), pk=pk)
    if record.document is None:
        return HttpResponse("受信データは保存されていません。", status=404)
    response = HttpResponse(bytes(record.document.data), content_type="application/octet-stream")
    name = f"wire-record-{record.pk}.bin"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@hooks.register("register_admin_urls")
def wire_admin_urls():
    return [path("wire/document/<int:pk>/", download_document, name="wire_document")]


@hooks.register("before_edit_page")
def warn_killed_story(request: HttpRequest, page) -> None:
    if WireStory.objects.filter(article_id=page.pk, killed_at__isnull=False).exists():
        messages.warning(
            request,
            "配信取り消し: 配信元がこの記事を取り消しました。公開しないでください"
            "（受信記録に経緯があります）。",
        )
