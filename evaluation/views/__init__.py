"""Evaluation views, one module per area; each lists its ``urlpatterns``."""
