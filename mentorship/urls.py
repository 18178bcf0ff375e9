from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.auth.views import sign_in
from accounts.views import health, home, me
from mentorship.views import ping

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("ping", ping, name="ping"),
    path("login/", sign_in, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", me.switch_language, name="set_language"),
    path("account/", include("accounts.auth.urls")),
    path("people/", include("accounts.urls")),
    path("matching/", include("matching.urls")),
    path("sessions/", include("sessions.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("admin/", admin.site.urls),
]
