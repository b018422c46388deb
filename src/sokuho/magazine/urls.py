from django.urls import path, re_path

from sokuho.magazine import views

app_name = "magazine"
urlpatterns = [
    path("magazine/", views.index, name="index"),
    path("magazine/<int:year>/", views.archive, name="archive"),
    re_path(
        r"^magazine/(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})/$",
        views.issue,
        name="issue",
    ),
    path("mook/", views.editions, name="editions"),
]
