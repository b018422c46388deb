from django.urls import path

from sokuho.sponsored import views

app_name = "sponsored"
urlpatterns = [path("sponsored/<slug:slug>/", views.series, name="series")]
