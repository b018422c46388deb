from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from sokuho.news import views as news_views
from sokuho.security.media import serve_media

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("sokuho.feeds.urls")),
    path("", include("sokuho.magazine.urls")),
    path("", include("sokuho.newsletter.urls")),
    path("", include("sokuho.sponsored.urls")),
    path("", include("sokuho.rankings.urls")),
    path("", include("sokuho.search.urls")),
    path("", include("sokuho.wire.urls")),
]

if settings.SOKUHO_SERVE_MEDIA:
    # Small sites serve uploads themselves; nothing outside MEDIA_ROOT (sokuho.security).
    urlpatterns += [re_path(r"^media/(?P<path>.+)$", serve_media, name="media")]

urlpatterns += [
    re_path(r"^((?:[\w\-]+/)*)$", news_views.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]
