"""Evaluation's addresses, mounted under ``evaluation/`` with the namespace ``evaluation``.
Each area's view module lists its own ``urlpatterns``."""

from evaluation.views import dashboards, measures, reports, stakeholders

app_name = "evaluation"

urlpatterns = [
    *measures.urlpatterns,
    *dashboards.urlpatterns,
    *reports.urlpatterns,
    *stakeholders.urlpatterns,
]
