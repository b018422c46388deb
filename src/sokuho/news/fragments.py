"""Template fragments rendered once per distinct content.

The boxes every page shows (人気ランキング, あわせて読みたい, the magazine and MOOK promos)
are built from plain cached data — dicts, lists, strings and numbers. Their HTML depends
on nothing else, so each process keeps the HTML it rendered for that exact data and
reuses it while the data is the same: no invalidation to get wrong, and a page render
skips most of its template work.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

MAX_FRAGMENTS = 2000
MAX_HELD_REPRS = 64
_rendered: OrderedDict[tuple[str, tuple[tuple[str, str], ...]], SafeString] = OrderedDict()
# repr() of a value by its identity: the ranking snapshot is one shared, read-only object
# for as long as the cache holds it (pagecache.backends' near cache), and its repr costs
# more than the rest of the box. Each value is held here, so its id is not reused.
_reprs: OrderedDict[int, tuple[Any, str]] = OrderedDict()
_lock = threading.Lock()


def _repr(value: Any) -> str:
    if isinstance(value, (str, int, float, bool, type(None))):
        return repr(value)
    held = _reprs.get(id(value))
    if held is not None and held[0] is value:
        return held[1]
    text = repr(value)
    with _lock:
        _reprs[id(value)] = (value, text)
        while len(_reprs) > MAX_HELD_REPRS:
            _reprs.popitem(last=False)
    return text


def render_fragment(template_name: str, context: dict[str, Any]) -> SafeString:
    """``template_name`` rendered with ``context`` (plain data only, never changed in
    place: its repr is the key)."""
    key = (template_name, tuple((name, _repr(value)) for name, value in context.items()))
    html = _rendered.get(key)
    if html is None:
        html = mark_safe(get_template(template_name).render(context))  # noqa: S308
        with _lock:
            _rendered[key] = html
            while len(_rendered) > MAX_FRAGMENTS:
                _rendered.popitem(last=False)
    return html


def fragment(template_name: str) -> Callable[[Callable[..., dict[str, Any]]], Callable]:
    """A template function that renders ``template_name`` with the plain data the
    decorated function returns, the HTML reused by `render_fragment`."""

    def decorator(function: Callable[..., dict[str, Any]]) -> Callable[..., SafeString]:
        @wraps(function)
        def render(*args: Any, **kwargs: Any) -> SafeString:
            return render_fragment(template_name, function(*args, **kwargs))

        return render

    return decorator
