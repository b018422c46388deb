"""The desk's approval step: the page's own publishing rights decide who may approve."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from wagtail.models import AbstractGroupApprovalTask, Page, TaskState


class DeskApprovalTask(AbstractGroupApprovalTask):
    """Approved by a member of the chosen groups who may also publish the page itself.

    Wagtail's GroupApprovalTask lets any member approve anywhere, so a section desk
    could publish another section's story through "approve"; here approval follows the
    same page permission that the Publish button does.
    """

    def _may_approve(self, obj: Any, user: Any) -> bool:
        if not user.is_active:
            return False
        if user.is_superuser:
            return True
        if not self._user_in_groups(user):
            return False
        if isinstance(obj, Page):
            return obj.permissions_for_user(user).can_publish()
        return True

    def user_can_access_editor(self, obj: Any, user: Any) -> bool:
        return self._may_approve(obj, user)

    def locked_for_user(self, obj: Any, user: Any) -> bool:
        return not self._may_approve(obj, user)

    def user_can_lock(self, obj: Any, user: Any) -> bool:
        return self._may_approve(obj, user)

    def get_actions(self, obj: Any, user: Any) -> list[tuple[str, str, bool]]:
        if not self._may_approve(obj, user):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user: Any, **kwargs: Any) -> QuerySet:
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if user.is_superuser or not states:
            return states
        allowed = [
            state.pk
            for state in states.select_related("workflow_state")
            if self._may_approve(state.workflow_state.content_object, user)
        ]
        return TaskState.objects.filter(pk__in=allowed)

    @classmethod
    def get_description(cls) -> str:
        return (
            "選んだグループのうち、その記事を公開できる人（担当セクションのデスク）が承認します。"
        )

    class Meta:
        verbose_name = "デスク承認タスク"
        verbose_name_plural = "デスク承認タスク"
