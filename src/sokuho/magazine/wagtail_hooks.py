from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from sokuho.magazine.models import MagazineIssue, SpecialEdition


class MagazineIssueViewSet(SnippetViewSet):
    model = MagazineIssue
    icon = "doc-full-inverse"
    menu_label = "雑誌（号）"
    list_display = ["issue_label", "feature_title", "on_sale_date"]


class SpecialEditionViewSet(SnippetViewSet):
    model = SpecialEdition
    icon = "doc-full"
    menu_label = "MOOK・別冊"
    list_display = ["title", "price_label", "on_sale_date", "state"]


class MagazineGroup(SnippetViewSetGroup):
    menu_label = "雑誌・MOOK"
    menu_icon = "doc-full-inverse"
    menu_order = 290
    items = (MagazineIssueViewSet, SpecialEditionViewSet)


register_snippet(MagazineGroup)
