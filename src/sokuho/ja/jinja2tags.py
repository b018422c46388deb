"""Japanese dates and headline line breaks in the reader site's templates."""

from __future__ import annotations

from jinja2 import Environment
from jinja2.ext import Extension

from sokuho.ja.templatetags.ja import jst, jst_date, jst_iso, phrases


class JapaneseExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(jst=jst, jst_date=jst_date, jst_iso=jst_iso, phrases=phrases)


japanese = JapaneseExtension
