"""Which provider an item belongs to, and what that provider's rule says about it."""

from __future__ import annotations

from sokuho.news.models import Provider, SectionPage
from sokuho.wire.models import WireRule
from sokuho.wire.parsing import WireItem


class UnknownProvider(Exception):
    """No provider matches: the message says what to do, in Japanese."""


def provider_by_code(code: str) -> Provider:
    provider = Provider.objects.filter(code=code).first()
    if provider is None:
        known = ", ".join(Provider.objects.values_list("code", flat=True)) or "なし"
        raise UnknownProvider(f"配信元コード「{code}」は登録されていません（登録済み: {known}）。")
    return provider


def rule_for(provider: Provider) -> WireRule:
    """The provider's rule, created with the safe defaults (hold for review) if missing."""
    rule = WireRule.objects.filter(provider=provider).first()
    if rule is None:
        rule, _ = WireRule.objects.get_or_create(provider=provider)
    return rule


def _norm(value: str) -> str:
    return " ".join(value.split()).casefold()


class ProviderDirectory:
    """Matches the provider named in an item (its name, code or a rule's alias)."""

    def __init__(self) -> None:
        self._names: dict[str, Provider] = {}
        for provider in Provider.objects.all():
            self._names.setdefault(_norm(provider.code), provider)
            self._names.setdefault(_norm(provider.name), provider)
        for rule in WireRule.objects.select_related("provider"):
            for alias in rule.alias_list():
                self._names.setdefault(_norm(alias), rule.provider)

    def find(self, item: WireItem) -> Provider:
        for candidate in (item.provider, item.copyright_holder):
            # "nprov:HOKUSHIN" (a NewsML-G2 qcode) also matches the code "hokushin".
            keys = [_norm(candidate), _norm(candidate.rpartition(":")[2])] if candidate else []
            for key in keys:
                if key in self._names:
                    return self._names[key]
        named = item.provider or item.copyright_holder or "（記載なし）"
        raise UnknownProvider(
            f"配信元「{named}」が登録された配信元のどれとも一致しません。"
            "--provider で配信元コードを指定するか、"
            "配信ルールの「配信データ上の名前」に登録してください。"
        )


class SectionChooser:
    """The section a provider's item goes to: subject mapping, then default, then first."""

    def __init__(self, rule: WireRule) -> None:
        self.mappings = list(rule.section_mappings.select_related("section").order_by("sort_order"))
        self.default = rule.default_section
        self._first: SectionPage | None = None

    def choose(self, item: WireItem) -> SectionPage | None:
        for mapping in self.mappings:
            for subject in item.subjects:
                if mapping.matches(subject.code, subject.name):
                    return mapping.section
        if self.default is not None:
            return self.default
        if self._first is None:
            self._first = SectionPage.objects.order_by("path").first()
        return self._first
