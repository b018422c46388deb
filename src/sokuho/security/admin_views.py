"""ログイン記録: locked accounts and addresses, recent failures, and unlocking."""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

RECENT_FAILURES = 200


def can_view_login_log(user) -> bool:
    return user.has_perm("axes.view_accessattempt")


@require_http_methods(["GET", "POST"])
def login_log(request: HttpRequest) -> HttpResponse:
    if not can_view_login_log(request.user):
        raise PermissionDenied
    if request.method == "POST":
        if not request.user.has_perm("axes.delete_accessattempt"):
            raise PermissionDenied
        deleted, _ = AccessAttempt.objects.filter(pk=request.POST.get("attempt") or 0).delete()
        if deleted:
            messages.success(request, "ロックを解除しました。")
        else:
            messages.error(request, "その記録は見つかりません（既に解除されています）。")
        return HttpResponseRedirect(reverse("sokuho_login_log"))
    attempts = AccessAttempt.objects.order_by("-attempt_time")[:RECENT_FAILURES]
    context = {
        "attempts": attempts,
        "failures": AccessFailureLog.objects.order_by("-attempt_time")[:RECENT_FAILURES],
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "can_unlock": request.user.has_perm("axes.delete_accessattempt"),
    }
    return render(request, "security/login_log.html", context)
