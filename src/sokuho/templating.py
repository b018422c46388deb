"""The Jinja2 environment of the reader site's templates.

Each app adds its own functions and filters as a Jinja2 extension in its
``jinja2tags.py`` (as Wagtail's apps do), listed in ``settings.TEMPLATES``; this module
holds what every template uses: static files, URLs, query strings and the few Django
filters the templates need.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.template.defaultfilters import date, linebreaksbr, truncatechars
from django.templatetags import static as django_static
from django.urls import reverse
from jinja2 import ChainableUndefined, Environment, select_autoescape


@lru_cache(maxsize=512)
def static(path: str) -> str:
    """The URL of a static file. A page asks for the same few files on every render, and
    their hashed names are fixed for the life of the process (the manifest is read once)."""
    return django_static.static(path)


@receiver(setting_changed)
def _forget_static_urls(setting: str, **kwargs: Any) -> None:
    if setting in {"STATIC_URL", "STORAGES", "INSTALLED_APPS"}:
        static.cache_clear()


def querystring(request: HttpRequest, **changes: Any) -> str:
    """The request's query string with these parameters changed (None removes one), as
    Django's ``{% querystring %}``: ``querystring(request, page=2)`` gives ``?q=…&page=2``."""
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        elif isinstance(value, Iterable) and not isinstance(value, str):
            params.setlist(key, list(value))
        else:
            params[key] = value
    if not params and not request.GET:
        return ""
    return f"?{params.urlencode()}"


def environment(**options: Any) -> Environment:
    # HTML and XML are escaped; the plain-text emails (.txt) are not.
    options["autoescape"] = select_autoescape(("html", "xml"), default_for_string=True)
    # A missing variable or attribute renders as nothing, as in Django's templates: a
    # page without a section, or the 404 page without a page, uses the same base.
    options["undefined"] = ChainableUndefined
    env = Environment(**options)  # noqa: S701 -- autoescape is chosen above
    env.globals.update(static=static, url=reverse, querystring=querystring)
    env.filters.update(
        date=date,
        linebreaksbr=linebreaksbr,
        truncatechars=truncatechars,
    )
    return env
