from django.urls import path

from sokuho.wire import views

app_name = "wire"
urlpatterns = [
    path("wire/<slug:provider_code>/", views.receive, name="receive"),
]
