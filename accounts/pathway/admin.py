"""The program's pathway settings and training modules are edited in the admin site."""

from django.contrib import admin

from accounts.pathway.models import PathwaySettings, TrainingModule


class PathwaySettingsAdmin(admin.ModelAdmin):
    list_display = (
        "program",
        "training_hours_before_first_match",
        "certification_valid_days",
        "supervision_cadence_days",
        "min_days_in_recovery",
    )


class TrainingModuleAdmin(admin.ModelAdmin):
    list_display = ("name", "program", "hours", "required_before_matching", "is_active")
    list_filter = ("program", "required_before_matching", "is_active")


def register() -> None:
    for model, model_admin in (
        (PathwaySettings, PathwaySettingsAdmin),
        (TrainingModule, TrainingModuleAdmin),
    ):
        if not admin.site.is_registered(model):
            admin.site.register(model, model_admin)
