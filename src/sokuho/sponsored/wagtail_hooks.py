from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from sokuho.sponsored.models import BrandedSeries, Sponsor


class SponsorViewSet(SnippetViewSet):
    model = Sponsor
    icon = "user"
    list_display = ["name", "url"]


class BrandedSeriesViewSet(SnippetViewSet):
    model = BrandedSeries
    icon = "list-ul"
    list_display = ["title", "sponsor", "label"]


class SponsoredGroup(SnippetViewSetGroup):
    menu_label = "広告・タイアップ"
    menu_icon = "tag"
    menu_order = 310
    items = (SponsorViewSet, BrandedSeriesViewSet)


register_snippet(SponsoredGroup)
