"""Views of the accounts app, one module per area; each module declares its ``urlpatterns``."""
