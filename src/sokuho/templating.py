"""The Jinja2 environment of the reader site's templates.

Each app adds its own functions and filters as a Jinja2 extension in its
``jinja2tags.py`` (as Wagtail's apps do; made with :func:`extension`), listed in
``settings.TEMPLATES``; this module holds what every template uses: static files, URLs,
query strings and the few Django filters the templates need.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaulttags
from django.template.defaultfilters import date, linebreaksbr, truncatechars
from django.templatetags import static as django_static
from django.urls import reverse
from jinja2 import ChainableUndefined, Environment, pass_context, select_autoescape
from jinja2.ext import Extension
from jinja2.runtime import Context


@lru_cache(maxsize=512)
def static(path: str) -> str:
    """The URL of a static file. A page asks for the same few files on every render, and
    their hashed names are fixed for the life of the process (the manifest is read once)."""
    return django_static.static(path)


@receiver(setting_changed)
def _forget_static_urls(setting: str, **kwargs: Any) -> None:
    if setting in {"STATIC_URL", "STORAGES", "INSTALLED_APPS"}:
        static.cache_clear()


@pass_context
def querystring(context: Context, **changes: Any) -> str:
    """Django's ``{% querystring %}``: the request's query string with these parameters
    changed (None removes one), ``querystring(page=2)`` giving ``?q=…&page=2``."""
    return defaulttags.querystring(SimpleNamespace(request=context["request"]), **changes)


def extension(
    functions: dict[str, Callable[..., Any]] | None = None,
    filters: dict[str, Callable[..., Any]] | None = None,
) -> type[Extension]:
    """A Jinja2 extension that adds an app's template functions and filters."""

    class AppExtension(Extension):
        def __init__(self, environment: Environment) -> None:
            super().__init__(environment)
            environment.globals.update(functions or {})
            environment.filters.update(filters or {})

    return AppExtension


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
