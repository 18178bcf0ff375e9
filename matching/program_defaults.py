"""What a new program starts with in matching: its settings and version 1 of the interview-
and-matching checklist, made when the program is, so that no page has to create them when it
is first read."""

from accounts.models import Program
from matching.models import MatchingSettings
from matching.services.interviews import current_checklist


def program_created(sender, instance: Program, created: bool, raw: bool = False, **kwargs):
    if created and not raw:
        MatchingSettings.objects.get_or_create(program=instance)
        current_checklist(instance, actor=None)
