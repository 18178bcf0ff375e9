from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Matching"

    def ready(self):
        from accounts.scoping import MENTOR_MENTEE_SCOPES
        from matching.models import Match

        def mentees_of_my_matches(user):
            return (
                Match.objects.filter(mentor__user=user, status__in=Match.MENTOR_VISIBLE_STATUSES)
                .exclude(status="closed")
                .values("mentee_id")
            )

        MENTOR_MENTEE_SCOPES.append(mentees_of_my_matches)
