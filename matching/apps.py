from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Matching"

    def ready(self):
        # accounts sits below matching: matching tells it how matches shape what people see.
        from accounts.scoping import MENTOR_MENTEE_SCOPES, MENTOR_PLACES_TAKEN
        from matching import selectors

        MENTOR_MENTEE_SCOPES.append(selectors.mentees_of_my_matches)
        MENTOR_PLACES_TAKEN.append(selectors.with_places_taken)
