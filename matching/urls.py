from matching.views import cohort, interviews, matches, suggestions, support

app_name = "matching"

urlpatterns = [
    *interviews.urlpatterns,
    *suggestions.urlpatterns,
    *cohort.urlpatterns,
    *matches.urlpatterns,
    *support.urlpatterns,
]
