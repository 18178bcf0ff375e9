"""Views of the matching app, one module per area; each declares its ``urlpatterns``."""
