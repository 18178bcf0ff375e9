from accounts.pathway import urls as pathway
from accounts.views import audit, care, disclosures, imports, me, notifications, profiles

app_name = "accounts"

urlpatterns = [
    *profiles.urlpatterns,
    *care.urlpatterns,
    *imports.urlpatterns,
    *me.urlpatterns,
    *notifications.urlpatterns,
    *disclosures.urlpatterns,
    *audit.urlpatterns,
    *pathway.urlpatterns,
]
