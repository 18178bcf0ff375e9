from sessions.views import alerts, feedback, groups, logs, resources, supervision

app_name = "mentoring_sessions"

urlpatterns = [
    *logs.urlpatterns,
    *resources.urlpatterns,
    *groups.urlpatterns,
    *feedback.urlpatterns,
    *supervision.urlpatterns,
    *alerts.urlpatterns,
]
