"""Japanese dates and headline line breaks in the reader site's templates."""

from __future__ import annotations

from sokuho.ja.templatetags.ja import jst, jst_date, jst_iso, phrases
from sokuho.templating import extension

japanese = extension(
    filters={"jst": jst, "jst_date": jst_date, "jst_iso": jst_iso, "phrases": phrases}
)
