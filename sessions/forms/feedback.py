"""The mentee's easy-read feedback form: five faces, three yes / not sure / no questions with
pictures, "contact me?" and an optional comment. The template draws each choice as a large
button with its picture and a visible label; the rules live in
``sessions.services.feedback.submit_feedback``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sessions.models import SessionFeedback

RATING_CHOICES = [
    (1, _("Very bad")),
    (2, _("Bad")),
    (3, _("OK")),
    (4, _("Good")),
    (5, _("Very good")),
]
RATING_PICTURES = {str(value): f"face-{value}" for value, _label in RATING_CHOICES}
ANSWER_PICTURES = {value: value for value in SessionFeedback.Answer.values}
CONTACT_CHOICES = [("yes", _("Yes, please contact me")), ("no", _("No, thank you"))]
CONTACT_PICTURES = {"yes": "yes", "no": "no"}
SAFETY_PICTURES = {
    SessionFeedback.Safety.SAFE: "yes",
    SessionFeedback.Safety.NOT_SAFE: "no",
    SessionFeedback.Safety.NEED_HELP: "help",
}

CHOICE_ERRORS = {
    "required": _("Please choose one answer."),
    "invalid_choice": _("Please choose one of the answers shown."),
}


class ChoiceButtons(forms.RadioSelect):
    """Radio buttons that the template draws as big picture buttons (Bootstrap's
    ``btn-check``: the real radio input stays focusable and is announced by screen readers)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "btn-check", "autocomplete": "off", **(attrs or {})})


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How was today?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=ChoiceButtons,
        error_messages={**CHOICE_ERRORS, "required": _("Please choose one of the faces.")},
    )
    felt_listened_to = forms.ChoiceField(
        label=_("I felt listened to"),
        choices=SessionFeedback.Answer.choices,
        widget=ChoiceButtons,
        error_messages=CHOICE_ERRORS,
    )
    learned_something = forms.ChoiceField(
        label=_("I learned something I can use"),
        choices=SessionFeedback.Answer.choices,
        widget=ChoiceButtons,
        error_messages=CHOICE_ERRORS,
    )
    more_hopeful = forms.ChoiceField(
        label=_("I feel more hopeful"),
        choices=SessionFeedback.Answer.choices,
        widget=ChoiceButtons,
        error_messages=CHOICE_ERRORS,
    )
    wants_contact = forms.TypedChoiceField(
        label=_("Do you want someone from the program to contact you?"),
        help_text=_("Only the program staff see this answer."),
        choices=CONTACT_CHOICES,
        coerce=lambda value: value == "yes",
        empty_value=False,
        required=False,
        widget=ChoiceButtons,
        error_messages=CHOICE_ERRORS,
    )
    feels_safe = forms.ChoiceField(
        label=_("How safe do you feel right now?"),
        help_text=_(
            "If you don't feel safe, the program staff are told at once and you will see "
            "who you can call right now."
        ),
        choices=SessionFeedback.Safety.choices,
        required=False,
        widget=ChoiceButtons,
        error_messages=CHOICE_ERRORS,
    )
    comment = forms.CharField(
        label=_("Anything else you want to tell us?"),
        help_text=_("You can leave this empty."),
        required=False,
        max_length=SessionFeedback._meta.get_field("comment").max_length,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )
    helped = forms.BooleanField(
        label=_("Someone helped me fill this in"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input feedback-helped"}),
    )

    PICTURES = {
        "rating": RATING_PICTURES,
        "felt_listened_to": ANSWER_PICTURES,
        "learned_something": ANSWER_PICTURES,
        "more_hopeful": ANSWER_PICTURES,
        "wants_contact": CONTACT_PICTURES,
        "feels_safe": SAFETY_PICTURES,
    }

    def comment_field(self):
        """The comment box, marked invalid and tied to its help and error texts."""
        attrs = self.fields["comment"].widget.attrs
        described_by = [f"{self['comment'].auto_id}-help"]
        if "comment" in self.errors:
            attrs["class"] = "form-control is-invalid"
            described_by.append(f"{self['comment'].auto_id}-error")
        attrs["aria-describedby"] = " ".join(described_by)
        return self["comment"]

    def questions(self) -> list[dict]:
        """Each choice question with its options, each option with its picture's file name,
        in the order of the form."""
        questions = []
        for name, pictures in self.PICTURES.items():
            if name in self.errors:
                # The first answer with an error gets the focus (static/js/peerpath.js).
                self.fields[name].widget.attrs["class"] = "btn-check is-invalid"
            field = self[name]
            options = [
                {"radio": radio, "picture": f"img/faces/{pictures[str(radio.data['value'])]}.svg"}
                for radio in field
            ]
            described_by = [f"{field.auto_id}-help"] if field.help_text else []
            if field.errors:
                described_by.append(f"{field.auto_id}-error")
            questions.append(
                {
                    "field": field,
                    "options": options,
                    "wide": name in ("wants_contact", "feels_safe"),
                    "described_by": " ".join(described_by),
                }
            )
        return questions
