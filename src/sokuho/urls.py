from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve as serve_static_file
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from sokuho.news import views as news_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("sokuho.feeds.urls")),
]

if settings.SOKUHO_SERVE_MEDIA:
    # Small sites serve uploads themselves; `serve` refuses paths outside MEDIA_ROOT.
    urlpatterns += [
        re_path(
            r"^media/(?P<path>.+)$",
            serve_static_file,
            {"document_root": settings.MEDIA_ROOT},
            name="media",
        ),
    ]

urlpatterns += [
    re_path(r"^((?:[\w\-]+/)*)$", news_views.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]
