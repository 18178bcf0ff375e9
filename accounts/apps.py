from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and programs"

    def ready(self):
        from accounts import audit

        audit.register_models()
