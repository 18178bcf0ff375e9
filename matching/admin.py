from django.contrib import admin

from matching.models import Match, MatchEvent


class MatchEventInline(admin.TabularInline):
    model = MatchEvent
    extra = 0
    readonly_fields = ["actor", "from_status", "to_status", "note", "at"]
    can_delete = False


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "program", "status", "started_on"]
    list_filter = ["program", "status"]
    raw_id_fields = ["mentee", "mentor", "proposed_by"]
    readonly_fields = ["status"]
    inlines = [MatchEventInline]
