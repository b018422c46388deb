from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from sokuho.security import admin_views, views
from sokuho.security.panels import TwoFactorPolicyForm


@hooks.register("register_admin_urls")
def security_admin_urls():
    return [
        path("2fa/setup/", views.setup, name="sokuho_2fa_setup"),
        path("2fa/verify/", views.verify, name="sokuho_2fa_verify"),
        path("login-log/", admin_views.login_log, name="sokuho_login_log"),
    ]


@hooks.register("register_group_permission_panel")
def two_factor_panel():
    return TwoFactorPolicyForm


class LoginLogMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_view_login_log(request.user)


@hooks.register("register_reports_menu_item")
def login_log_menu_item():
    return LoginLogMenuItem(
        "ログイン記録", reverse("sokuho_login_log"), icon_name="lock", order=900
    )
