"""POST /wire/<provider>/: a provider pushes a wire document (token-authenticated)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sokuho.rankings.views import client_ip
from sokuho.security.ratelimit import attempts, count_attempt
from sokuho.wire import push
from sokuho.wire.ingest import Ingestor
from sokuho.wire.models import Source
from sokuho.wire.parsing import MAX_INPUT_BYTES
from sokuho.wire.pictures import PictureSource


def _error(status: int, message: str, **extra: object) -> JsonResponse:
    response = JsonResponse(
        {"error": message, **extra}, status=status, json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "no-store"
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="sokuho-wire"'
    return response


@csrf_exempt  # a machine endpoint: the bearer token is the credential, not a cookie
@require_POST
def receive(request: HttpRequest, provider_code: str) -> JsonResponse:
    source = client_ip(request)
    if attempts(push.FAILED_LOGIN_SCOPE, source) >= settings.SOKUHO_WIRE_PUSH_FAILURE_LIMIT:
        # Locked out, right token or not: guessing tokens must not pay off.
        minutes = settings.SOKUHO_WIRE_PUSH_LOCKOUT_SECONDS // 60
        response = _error(
            429,
            f"認証の失敗が続いたため、このアドレスからの配信を {minutes} 分間止めています。"
            "トークンを確かめてから、時間をおいて送り直してください。",
        )
        response["Retry-After"] = str(settings.SOKUHO_WIRE_PUSH_LOCKOUT_SECONDS)
        return response
    token = push.bearer_token(request.headers.get("Authorization", ""))
    provider = push.authenticate(provider_code, token)
    if provider is None:
        count_attempt(push.FAILED_LOGIN_SCOPE, source, settings.SOKUHO_WIRE_PUSH_LOCKOUT_SECONDS)
        return _error(
            401,
            "認証に失敗しました。配信元ごとのトークンを Authorization: Bearer で送ってください。",
        )

    multipart = request.content_type == "multipart/form-data"
    limit = push.max_push_bytes(multipart)
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return _error(400, "Content-Length が不正です。")
    if length > limit:
        return _error(413, f"大きすぎます（上限 {limit // (1024 * 1024)} MB）。")

    filename = request.headers.get("X-Wire-Filename", "")[:200]
    attachments: dict[str, bytes] = {}
    if multipart:
        try:
            files = list(request.FILES.values())
        except (MultiPartParserError, SuspiciousOperation) as error:
            return _error(400, f"multipart の形式が正しくありません: {error}")
        document = request.FILES.get("item") or (files[0] if files else None)
        if document is None:
            return _error(400, "multipart の item 欄に配信ファイルを入れてください。")
        if document.size > MAX_INPUT_BYTES:
            return _error(
                413, f"配信ファイルが大きすぎます（上限 {MAX_INPUT_BYTES // (1024 * 1024)} MB）。"
            )
        data = document.read()
        filename = filename or (document.name or "")[:200]
        for upload in files[: push.MAX_PICTURES + 1]:
            if upload is not document:
                attachments[upload.name] = upload.read()
    else:
        data = request.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            return _error(413, f"大きすぎます（上限 {MAX_INPUT_BYTES // (1024 * 1024)} MB）。")
    if not data.strip():
        return _error(400, "本文が空です。配信ファイルのバイト列を送ってください。")

    outcomes = Ingestor(provider=provider, source=Source.PUSH).ingest_bytes(
        data, filename, PictureSource(attachments=attachments)
    )
    items = [outcome.as_dict() for outcome in outcomes]
    rejected = sum(outcome.rejected for outcome in outcomes)
    if rejected == len(outcomes):
        reasons = "; ".join(outcome.reason for outcome in outcomes)
        return _error(400, f"受け付けられませんでした: {reasons}", items=items)
    return JsonResponse(
        {"provider": provider.code, "items": items, "rejected": rejected},
        json_dumps_params={"ensure_ascii": False},
    )
