"""Settings of the web processes that ``Processes.web`` starts: production's, with the one
exception the rest of the suite makes (tests/conftest.py): static files resolve from the app
folders, because the suite does not run ``collectstatic`` to write the hashed manifest."""

from mentorship.settings import *  # noqa: F403
from mentorship.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
