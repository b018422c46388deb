"""The admin's メールマガジン menu: subscribers and their state, and every digest sent
with its delivery counts. Digests are made by the scheduler or the command, never by hand."""

from __future__ import annotations

from wagtail.admin.panels import FieldPanel
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from sokuho.newsletter.models import Digest, Subscriber


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Digests are a record of what was sent: view them, never add or edit them."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Digest, ReadOnlyPolicy(Digest))


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = "購読者"
    list_display = ["email", "state", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["state"]
    search_fields = ["email"]
    search_backend_name = None
    panels = [FieldPanel("email"), FieldPanel("state")]


class DigestViewSet(SnippetViewSet):
    model = Digest
    icon = "doc-full"
    menu_label = "配信履歴"
    list_display = ["date", "subject", "state", "summary", "finished_at"]
    list_filter = ["state"]
    inspect_view_enabled = True
    inspect_view_fields = ["date", "subject", "state", "created_at", "finished_at", "text_body"]


class NewsletterGroup(SnippetViewSetGroup):
    menu_label = "メールマガジン"
    menu_icon = "mail"
    menu_order = 300
    items = (SubscriberViewSet, DigestViewSet)


register_snippet(NewsletterGroup)
