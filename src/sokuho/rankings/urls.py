from django.urls import path

from sokuho.rankings.views import page_view

urlpatterns = [path("pv/", page_view, name="rankings_page_view")]
