import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLResolver, include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from sokuho.news import views as news_views
from sokuho.security.media import serve_media

# Wagtail serves every path made of slug segments ending in a slash (its page tree).
PAGE_PATH = r"((?:[\w\-]+/)*)$"

app_urlpatterns = [
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
    app_urlpatterns += [re_path(r"^media/(?P<path>.+)$", serve_media, name="media")]


def first_segments(patterns: list) -> set[str]:
    """The first path segments the app routes use for paths that end in a slash (those a
    page path could also match); every app route must start with a fixed segment."""
    segments: set[str] = set()
    for entry in patterns:
        route = str(entry.pattern).removeprefix("^")
        if isinstance(entry, URLResolver) and not route:
            segments |= first_segments(entry.url_patterns)
            continue
        head, slash, _ = route.partition("/")
        if not re.fullmatch(r"[\w.\-]+", head):
            raise ImproperlyConfigured(f"An app route must start with a fixed segment: {route}")
        if slash:
            segments.add(head)
    return segments


# Reader pages are most requests: a path whose first segment no app route uses goes to
# the page view at once instead of past every app pattern (27 us a request).
reserved = "|".join(sorted(re.escape(segment) for segment in first_segments(app_urlpatterns)))
urlpatterns = [
    re_path(rf"^(?!(?:{reserved})/){PAGE_PATH}", news_views.serve, name="wagtail_serve"),
    *app_urlpatterns,
    re_path(rf"^{PAGE_PATH}", news_views.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]
