"""HTTP push: who may push, and what a push carries."""

from __future__ import annotations

from django.conf import settings

from sokuho.news.models import Provider
from sokuho.wire.models import WireRule, hash_token
from sokuho.wire.parsing import MAX_INPUT_BYTES

# A multipart push carries the document and its pictures.
MAX_PICTURES = 10
# Failed token checks are counted per client address under this name.
FAILED_LOGIN_SCOPE = "wire-push-auth"


def max_push_bytes(multipart: bool) -> int:
    if not multipart:
        return MAX_INPUT_BYTES
    return MAX_INPUT_BYTES + MAX_PICTURES * settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE


def bearer_token(authorization: str) -> str:
    scheme, _, token = authorization.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def authenticate(provider_code: str, token: str) -> Provider | None:
    """The provider whose push token this is; None for anything else.

    The same hashing and constant-time comparison run whether or not the provider
    exists, so a caller cannot tell unknown providers from wrong tokens.
    """
    rule = WireRule.objects.select_related("provider").filter(provider__code=provider_code).first()
    if rule is None:
        hash_token(token or "-")
        return None
    return rule.provider if rule.token_matches(token) else None
