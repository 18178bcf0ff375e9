from accounts.views import care, imports, me, notifications, profiles

app_name = "accounts"

urlpatterns = [
    *profiles.urlpatterns,
    *care.urlpatterns,
    *imports.urlpatterns,
    *me.urlpatterns,
    *notifications.urlpatterns,
]
