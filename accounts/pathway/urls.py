"""The pathway's routes, included in ``accounts.urls`` (namespace ``accounts``)."""

from accounts.pathway.views import urlpatterns

__all__ = ["urlpatterns"]
