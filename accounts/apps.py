from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and programs")

    def ready(self):
        from accounts import audit
        from accounts.auth import signals  # noqa: F401 - stamps sessions at sign-in

        audit.register_models()

        from accounts.pathway import hooks as pathway

        pathway.ready()
