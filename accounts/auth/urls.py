from django.urls import path

from accounts.auth import views

app_name = "account"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("two-factor/", views.enrol, name="enrol"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("keep-alive/", views.keep_alive, name="keep_alive"),
    path("password/", views.password_change, name="password_change"),
]
