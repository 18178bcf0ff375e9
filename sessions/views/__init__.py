"""Views of the sessions app, one module per area; each declares its ``urlpatterns``."""
