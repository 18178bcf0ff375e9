from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts import models


@admin.register(models.User)
class UserAdmin(BaseUserAdmin):
    ordering = ["display_name"]
    list_display = ["display_name", "email", "preferred_language", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "preferred_language"]
    search_fields = ["display_name", "email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Person"),
            {"fields": ["display_name", "phone", "preferred_language", "time_zone", "easy_read"]},
        ),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]})
    ]


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(models.Center)
class CenterAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "time_zone"]
    search_fields = ["name"]


@admin.register(models.Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "center", "serves_idd_mh", "is_active"]
    list_filter = ["center", "is_active"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "program", "role", "is_active"]
    list_filter = ["role", "program", "is_active"]
    search_fields = ["user__display_name", "user__email"]
    autocomplete_fields = ["user", "program"]


@admin.register(models.LifeGoalArea, models.LivedExperience, models.Interest)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(models.Language)
class LanguageAdmin(TaxonomyAdmin):
    list_display = ["name", "code", "sort_order", "is_active"]


@admin.register(models.MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "program", "status", "capacity"]
    list_filter = ["program", "status"]
    search_fields = ["user__display_name", "user__email"]
    autocomplete_fields = ["user", "program"]


@admin.register(models.MenteeProfile)
class MenteeProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "program", "status", "referral_date"]
    list_filter = ["program", "status", "idd_mh"]
    search_fields = ["user__display_name", "user__email"]
    autocomplete_fields = ["user", "program", "case_manager"]


@admin.register(models.Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["mentee", "kind", "recipient", "given_on", "revoked_at"]
    list_filter = ["kind"]
    raw_id_fields = ["mentee", "recipient", "recorded_by", "revoked_by"]


@admin.register(models.Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "channel", "due_at", "state", "attempts"]
    list_filter = ["state", "channel", "kind"]
    raw_id_fields = ["recipient"]
    readonly_fields = ["key", "created_at", "sent_at"]
