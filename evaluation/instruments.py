"""The outcome measures, defined in code: items worded as published, response options, scoring,
bands, flags, a version string and the published source of each.

One public function scores any of them: ``score(code, answers)``. ``answers`` is the list of
item values in item order; an incomplete list, a value of the wrong type or outside an item's
options raises ``ScoringError`` (a ``ValueError``) with a readable message, never a wrong score.

Standardized instruments (items and scoring exactly as published; only the short easy-read
explanation beside each item is the program's own and is shown *next to* the published wording,
never instead of it):

- ``PHQ9``   Patient Health Questionnaire-9
- ``GAD7``   Generalized Anxiety Disorder 7-item scale
- ``BARC10`` Brief Assessment of Recovery Capital, 10 items
- ``WHO5``   WHO-Five Well-Being Index (1998 version)
- ``UCLA3``  Three-item Loneliness Scale

Languages: the published wording of a standardized instrument is never translated by the
program. ``wording(instrument, language)`` gives a published translation where one exists, with
its source (PHQ-9, GAD-7 and WHO-5 in Spanish: ``PHQ9_ES``, ``GAD7_ES``, ``WHO5_ES``); otherwise
the published English wording, with the easy-read explanations (and, for BARC-10 and UCLA-3, a
plain explanation of each answer) in the person's language beside it. Answers given in a
published translation record its name with the version. Scores never depend on the language.

Program short forms (the program's own wording, NOT validated instruments: no published
norms or cut-offs; their flags are program rules, not clinical thresholds):

- ``REL_MENTEE`` / ``REL_MENTOR`` mentoring-relationship survey, mentee and mentor versions
- ``CHECKIN`` recovery check-in (days of use, treatment engagement, optional HIV / hepatitis C
  risk behaviours, housing, work or education, "I feel safe", "I need help now")
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ScoringError(ValueError):
    """Answers that cannot be scored; the message says which item and why."""


@dataclass(frozen=True)
class Option:
    value: int
    label: str
    # A plain explanation of a published English label, shown beside it (in the person's
    # language) only when the instrument has no published version in that language.
    easy: str = ""


@dataclass(frozen=True)
class Item:
    number: int
    text: str
    # A short easy-read explanation shown beside the published wording.
    easy: str = ""
    # Options of this item when they differ from the instrument's shared scale.
    options: tuple[Option, ...] = ()
    # Optional items (a program may leave them out) accept None.
    optional: bool = False
    # Whether the item counts towards the total.
    scored: bool = True


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    code: str
    label: str


@dataclass(frozen=True)
class Score:
    """What ``score()`` returns. ``reported`` is the score shown to people: the WHO-5
    percentage (raw × 4), the total for every other instrument."""

    code: str
    version: str
    total: int
    reported: int
    band: str
    flags: tuple[str, ...] = ()

    @property
    def percentage(self) -> int | None:
        return self.reported if self.code == "WHO5" else None


@dataclass(frozen=True)
class PublishedVersion:
    """A published translation of a standardized instrument, used word for word for people
    whose language it is. Scoring, bands and flags are those of the instrument, unchanged."""

    language: str
    # Short name of the version, added to the administration's recorded version.
    name: str
    source: str
    instructions: str
    # Item number → published wording.
    items: dict[int, str]
    # Option value → published label.
    options: dict[int, str]


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    version: str
    citation: str
    instructions: str
    items: tuple[Item, ...]
    scale: tuple[Option, ...] = ()
    bands: tuple[Band, ...] = ()
    # Standardized (published scoring) or the program's own wording.
    validated: bool = True
    # "mentee" or "mentor": who answers it.
    respondent: str = "mentee"
    # Relationship surveys make no sense before the relationship has begun.
    at_baseline: bool = True
    # Reported score = raw total × multiplier (WHO-5: × 4).
    multiplier: int = 1
    # The item whose answer above 0 raises a safety alert (PHQ-9 item 9), if any.
    risk_item: int | None = None
    # Higher is better (WHO-5, BARC-10): says which way "improved" points.
    higher_is_better: bool = False
    flag_rules: tuple = field(default=(), repr=False)
    # Published translations (word for word, with their source); see ``wording()``.
    published: tuple[PublishedVersion, ...] = ()

    def options_for(self, item: Item) -> tuple[Option, ...]:
        return item.options or self.scale

    @property
    def min_total(self) -> int:
        return (
            sum(min(o.value for o in self.options_for(i)) for i in self.items if i.scored)
            * self.multiplier
        )

    @property
    def max_total(self) -> int:
        return (
            sum(max(o.value for o in self.options_for(i)) for i in self.items if i.scored)
            * self.multiplier
        )

    def band_for(self, reported: int) -> Band | None:
        for band in self.bands:
            if band.low <= reported <= band.high:
                return band
        return None

    def band_label(self, code: str) -> str:
        for band in self.bands:
            if band.code == code:
                return str(band.label)
        return ""

    def __str__(self) -> str:
        return str(self.name)


# --- Shared response scales --------------------------------------------------------------

# PHQ-9 and GAD-7 (Pfizer's PHQ screeners): frequency over the last 2 weeks.
FREQUENCY_2_WEEKS = (
    Option(0, "Not at all"),
    Option(1, "Several days"),
    Option(2, "More than half the days"),
    Option(3, "Nearly every day"),
)

# The published wording of the standardized instruments (items, instructions, these scales) is
# not marked for translation: a translation of it is used only when it is itself published,
# with its source (``PublishedVersion``). The easy-read explanations are the program's own and
# are translated like every other text.

AGREE_6 = (
    Option(1, "Strongly disagree", pgettext_lazy("answer explanation", "Strongly disagree")),
    Option(2, "Disagree", pgettext_lazy("answer explanation", "Disagree")),
    Option(3, "Somewhat disagree", pgettext_lazy("answer explanation", "Somewhat disagree")),
    Option(4, "Somewhat agree", pgettext_lazy("answer explanation", "Somewhat agree")),
    Option(5, "Agree", pgettext_lazy("answer explanation", "Agree")),
    Option(6, "Strongly agree", pgettext_lazy("answer explanation", "Strongly agree")),
)

WHO5_SCALE = (
    Option(5, "All of the time"),
    Option(4, "Most of the time"),
    Option(3, "More than half of the time"),
    Option(2, "Less than half of the time"),
    Option(1, "Some of the time"),
    Option(0, "At no time"),
)

UCLA3_SCALE = (
    Option(1, "Hardly ever", pgettext_lazy("answer explanation", "Hardly ever")),
    Option(2, "Some of the time", pgettext_lazy("answer explanation", "Some of the time")),
    Option(3, "Often", pgettext_lazy("answer explanation", "Often")),
)

AGREE_5 = (
    Option(1, _("Not at all true")),
    Option(2, _("A little true")),
    Option(3, _("Somewhat true")),
    Option(4, _("Mostly true")),
    Option(5, _("Very true")),
)

YES_NO = (Option(1, _("Yes")), Option(0, _("No")))
YES_NO_UNSAID = (Option(1, _("Yes")), Option(0, _("No")), Option(9, _("I prefer not to say")))


# --- Published Spanish versions -------------------------------------------------------------

# PHQ-9 and GAD-7, "Spanish for the USA" versions of Pfizer's PHQ screeners (phqscreeners.com),
# developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues with an
# educational grant from Pfizer Inc.: "No se requiere permiso para reproducir, traducir,
# presentar o distribuir." The two share the response options and the question stem.
PHQ_SPANISH_USA_OPTIONS = {
    0: "Ningún día",
    1: "Varios días",
    2: "Más de la mitad de los días",
    3: "Casi todos los días",
}
PHQ_SPANISH_USA_STEM = (
    "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los "
    "siguientes problemas?"
)

PHQ9_ES = PublishedVersion(
    language="es",
    name="Spanish for the USA (Pfizer)",
    source=(
        "PHQ-9, Spanish for the USA (Cuestionario sobre la salud del paciente-9). Spitzer RL, "
        "Williams JBW, Kroenke K and colleagues, educational grant from Pfizer Inc. "
        "phqscreeners.com."
    ),
    instructions=PHQ_SPANISH_USA_STEM,
    items={
        1: "Poco interés o placer en hacer cosas",
        2: "Se ha sentido decaído(a), deprimido(a) o sin esperanzas",
        3: "Ha tenido dificultad para quedarse o permanecer dormido(a), o ha dormido demasiado",
        4: "Se ha sentido cansado(a) o con poca energía",
        5: "Sin apetito o ha comido en exceso",
        6: (
            "Se ha sentido mal con usted mismo(a) – o que es un fracaso o que ha quedado mal "
            "con usted mismo(a) o con su familia"
        ),
        7: (
            "Ha tenido dificultad para concentrarse en ciertas actividades, tales como leer el "
            "periódico o ver la televisión"
        ),
        8: (
            "¿Se ha movido o hablado tan lento que otras personas podrían haberlo notado? o lo "
            "contrario – muy inquieto(a) o agitado(a) que ha estado moviéndose mucho más de lo "
            "normal"
        ),
        9: "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera",
    },
    options=PHQ_SPANISH_USA_OPTIONS,
)

GAD7_ES = PublishedVersion(
    language="es",
    name="Spanish for the USA (Pfizer)",
    source=(
        "GAD-7, Spanish for the USA. Spitzer RL, Williams JBW, Kroenke K and colleagues, "
        "educational grant from Pfizer Inc. phqscreeners.com."
    ),
    instructions=PHQ_SPANISH_USA_STEM,
    items={
        1: "Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta",
        2: "No ha sido capaz de parar o controlar su preocupación",
        3: "Se ha preocupado demasiado por motivos diferentes",
        4: "Ha tenido dificultad para relajarse",
        5: "Se ha sentido tan inquieto(a) que no ha podido quedarse quieto(a)",
        6: "Se ha molestado o irritado fácilmente",
        7: "Ha tenido miedo de que algo terrible fuera a pasar",
    },
    options=PHQ_SPANISH_USA_OPTIONS,
)

# WHO-5, official Spanish version ("OMS (cinco) Índice de Bienestar", 1998 version), Psychiatric
# Research Unit, WHO Collaborating Centre in Mental Health, Frederiksborg General Hospital,
# Hillerød (psykiatri-regionh.dk/who-5). Free to use. The printed form puts "Durante las
# últimas dos semanas..." above the statements, as the English form puts "Over the last two
# weeks"; like the English here, the statements are shown under the instructions.
WHO5_ES = PublishedVersion(
    language="es",
    name="Spanish (WHO-5 official, 1998)",
    source=(
        "OMS (cinco) Índice de Bienestar, official Spanish version of the WHO-5 (1998). "
        "Psychiatric Research Unit, WHO Collaborating Centre in Mental Health, Hillerød. "
        "psykiatri-regionh.dk/who-5."
    ),
    instructions=(
        "Por favor, indique para cada una de las cinco afirmaciones cuál define mejor cómo se "
        "ha sentido usted durante las últimas dos semanas."
    ),
    items={
        1: "Me he sentido alegre y de buen humor",
        2: "Me he sentido tranquilo y relajado",
        3: "Me he sentido activo y enérgico",
        4: "Me he despertado fresco y descansado",
        5: "Mi vida cotidiana ha estado llena de cosas que me interesan",
    },
    options={
        5: "Todo el tiempo",
        4: "La mayor parte del tiempo",
        3: "Más de la mitad del tiempo",
        2: "Menos de la mitad del tiempo",
        1: "De vez en cuando",
        0: "Nunca",
    },
)

# BARC-10: no published Spanish version was found (a Spanish validation exists of the
# 50-item Assessment of Recovery Capital it was drawn from, not of the BARC-10). UCLA 3-item:
# a Spanish validation is published (Trucharte A, Calderón L, Cerezo E, Contreras A, Peinado
# V, Valiente C. Three-item loneliness scale: psychometric properties and normative data of
# the Spanish version. Curr Psychol. 2021. doi:10.1007/s12144-021-02110-x), but its exact item
# wording could not be checked against the publication, so it is not used. Until a published
# Spanish wording is added here, both are shown to Spanish speakers in their published English
# wording, with the program's easy-read explanation (and each answer's) in Spanish beside it.

# --- PHQ-9 -------------------------------------------------------------------------------

PHQ9 = Instrument(
    code="PHQ9",
    name=_("PHQ-9 (depression)"),
    version="PHQ-9 (Kroenke, Spitzer & Williams 2001)",
    # Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity
    # measure. J Gen Intern Med 2001;16(9):606-613. doi:10.1046/j.1525-1497.2001.016009606.x
    # Wording of Pfizer's PHQ screeners (phqscreeners.com): "No permission required to
    # reproduce, translate, display or distribute."
    citation=(
        "Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression "
        "severity measure. J Gen Intern Med. 2001;16(9):606-613."
    ),
    instructions=(
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    ),
    scale=FREQUENCY_2_WEEKS,
    items=(
        Item(
            1,
            "Little interest or pleasure in doing things",
            _("Did you enjoy things less than usual?"),
        ),
        Item(2, "Feeling down, depressed, or hopeless", _("Did you feel sad or low?")),
        Item(
            3,
            "Trouble falling or staying asleep, or sleeping too much",
            _("Did you have problems with sleep?"),
        ),
        Item(4, "Feeling tired or having little energy", _("Did you feel tired?")),
        Item(5, "Poor appetite or overeating", _("Did you eat too little or too much?")),
        Item(
            6,
            (
                "Feeling bad about yourself — or that you are a failure or have let yourself "
                "or your family down"
            ),
            _("Did you feel bad about yourself?"),
        ),
        Item(
            7,
            (
                "Trouble concentrating on things, such as reading the newspaper or watching "
                "television"
            ),
            _("Was it hard to keep your mind on things?"),
        ),
        Item(
            8,
            (
                "Moving or speaking so slowly that other people could have noticed? Or the "
                "opposite — being so fidgety or restless that you have been moving around a "
                "lot more than usual"
            ),
            _("Were you much slower, or much more restless, than usual?"),
        ),
        Item(
            9,
            "Thoughts that you would be better off dead or of hurting yourself in some way",
            _("Did you think about hurting yourself or that you would be better off dead?"),
        ),
    ),
    # Kroenke et al. 2001: 5, 10, 15 and 20 represent mild, moderate, moderately severe and
    # severe depression.
    bands=(
        Band(0, 4, "minimal", _("Minimal")),
        Band(5, 9, "mild", _("Mild")),
        Band(10, 14, "moderate", _("Moderate")),
        Band(15, 19, "moderately_severe", _("Moderately severe")),
        Band(20, 27, "severe", _("Severe")),
    ),
    risk_item=9,
    published=(PHQ9_ES,),
)

# --- GAD-7 -------------------------------------------------------------------------------

GAD7 = Instrument(
    code="GAD7",
    name=_("GAD-7 (anxiety)"),
    version="GAD-7 (Spitzer et al. 2006)",
    # Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized
    # anxiety disorder: the GAD-7. Arch Intern Med 2006;166(10):1092-1097.
    # Wording of Pfizer's PHQ screeners (no permission required).
    citation=(
        "Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing "
        "generalized anxiety disorder: the GAD-7. Arch Intern Med. 2006;166(10):1092-1097."
    ),
    instructions=(
        "Over the last 2 weeks, how often have you been bothered by the following problems?"
    ),
    scale=FREQUENCY_2_WEEKS,
    items=(
        Item(1, "Feeling nervous, anxious, or on edge", _("Did you feel nervous or worried?")),
        Item(2, "Not being able to stop or control worrying", _("Was it hard to stop worrying?")),
        Item(
            3,
            "Worrying too much about different things",
            _("Did you worry about a lot of things?"),
        ),
        Item(4, "Trouble relaxing", _("Was it hard to relax?")),
        Item(5, "Being so restless that it is hard to sit still", _("Was it hard to sit still?")),
        Item(6, "Becoming easily annoyed or irritable", _("Did you get angry easily?")),
        Item(
            7,
            "Feeling afraid, as if something awful might happen",
            _("Did you feel scared that something bad would happen?"),
        ),
    ),
    # Spitzer et al. 2006: cut points 5, 10 and 15 for mild, moderate and severe anxiety.
    bands=(
        Band(0, 4, "minimal", _("Minimal")),
        Band(5, 9, "mild", _("Mild")),
        Band(10, 14, "moderate", _("Moderate")),
        Band(15, 21, "severe", _("Severe")),
    ),
    published=(GAD7_ES,),
)

# --- BARC-10 -----------------------------------------------------------------------------

BARC10 = Instrument(
    code="BARC10",
    name=_("BARC-10 (recovery capital)"),
    version="BARC-10 (Vilsaint et al. 2017)",
    # Vilsaint CL, Kelly JF, Bergman BG, Groshkova T, Best D, White W. Development and
    # validation of a Brief Assessment of Recovery Capital (BARC-10) for alcohol and drug use
    # disorder. Drug Alcohol Depend 2017;177:71-76. Items rated 1 (strongly disagree) to 6
    # (strongly agree), total 10-60; a total of 47 predicted sustained remission (>12 months).
    citation=(
        "Vilsaint CL, Kelly JF, Bergman BG, Groshkova T, Best D, White W. Development and "
        "validation of a Brief Assessment of Recovery Capital (BARC-10) for alcohol and drug "
        "use disorder. Drug Alcohol Depend. 2017;177:71-76."
    ),
    instructions="How much do you agree or disagree with each statement?",
    scale=AGREE_6,
    items=(
        Item(
            1,
            "There are more important things to me in life than using substances.",
            _("Other things matter more to me than drugs or alcohol."),
        ),
        Item(2, "In general I am happy with my life.", _("I am happy with my life.")),
        Item(
            3,
            "I have enough energy to complete the tasks I set myself.",
            _("I have the energy to do what I plan."),
        ),
        Item(
            4,
            "I am proud of the community I live in and feel part of it.",
            _("I like where I live and I feel I belong."),
        ),
        Item(5, "I get lots of support from friends.", _("My friends help me.")),
        Item(
            6,
            (
                "I regard my life as challenging and fulfilling without the need for using "
                "drugs or alcohol."
            ),
            _("My life is full and interesting without drugs or alcohol."),
        ),
        Item(
            7,
            "My living space has helped to drive my recovery journey.",
            _("Where I live helps my recovery."),
        ),
        Item(
            8,
            "I take full responsibility for my actions.",
            _("I take responsibility for what I do."),
        ),
        Item(
            9,
            "I am happy dealing with a range of professional people.",
            _("I am OK talking with doctors, workers and other professionals."),
        ),
        Item(
            10,
            "I am making good progress on my recovery journey.",
            _("My recovery is going well."),
        ),
    ),
    bands=(
        Band(10, 46, "below_cutoff", _("Below the cut-off for sustained remission")),
        Band(47, 60, "at_or_above_cutoff", _("At or above the cut-off for sustained remission")),
    ),
    higher_is_better=True,
)

# --- WHO-5 -------------------------------------------------------------------------------

WHO5 = Instrument(
    code="WHO5",
    name=_("WHO-5 (well-being)"),
    version="WHO-5 (WHO 1998)",
    # World Health Organization, Regional Office for Europe. Wellbeing measures in primary
    # health care: the DepCare project. Copenhagen: WHO; 1998. Scoring as reviewed in Topp CW,
    # Østergaard SD, Søndergaard S, Bech P. The WHO-5 Well-Being Index: a systematic review of
    # the literature. Psychother Psychosom 2015;84(3):167-176: raw 0-25 multiplied by 4 gives
    # 0-100. The WHO-5 guidance reads a raw score below 13 as poor well-being; as percentages
    # are multiples of 4, that is exactly a percentage below 50.
    citation=(
        "World Health Organization. Wellbeing measures in primary health care: the DepCare "
        "project. WHO Regional Office for Europe; 1998. Topp CW et al. The WHO-5 Well-Being "
        "Index: a systematic review of the literature. Psychother Psychosom. 2015;84:167-176."
    ),
    instructions=(
        "Please indicate for each of the five statements which is closest to how you have "
        "been feeling over the last two weeks."
    ),
    scale=WHO5_SCALE,
    items=(
        Item(1, "I have felt cheerful and in good spirits", _("I felt happy.")),
        Item(2, "I have felt calm and relaxed", _("I felt calm.")),
        Item(3, "I have felt active and vigorous", _("I felt full of energy.")),
        Item(4, "I woke up feeling fresh and rested", _("I slept well and woke up rested.")),
        Item(
            5,
            "My daily life has been filled with things that interest me",
            _("I did things I like."),
        ),
    ),
    multiplier=4,
    # Bands on the reported percentage (0-100).
    bands=(
        Band(0, 49, "poor", _("Poor well-being")),
        Band(50, 100, "not_poor", _("Not poor well-being")),
    ),
    higher_is_better=True,
    published=(WHO5_ES,),
)

# --- UCLA 3-item -------------------------------------------------------------------------

UCLA3 = Instrument(
    code="UCLA3",
    name=_("UCLA 3-item Loneliness Scale"),
    version="UCLA-3 (Hughes et al. 2004)",
    # Hughes ME, Waite LJ, Hawkley LC, Cacioppo JT. A short scale for measuring loneliness in
    # large surveys: results from two population-based studies. Res Aging 2004;26(6):655-672.
    # Responses 1 hardly ever, 2 some of the time, 3 often; total 3-9. Hughes et al. publish
    # no cut-off: the flag at 6 or more "lonely" is this program's rule, as used in later
    # studies of the scale, and is labelled as such on reports.
    citation=(
        "Hughes ME, Waite LJ, Hawkley LC, Cacioppo JT. A short scale for measuring loneliness "
        "in large surveys: results from two population-based studies. Res Aging. "
        "2004;26(6):655-672."
    ),
    instructions=(
        "The next questions are about how you feel about different aspects of your life. For "
        "each one, tell me how often you feel that way."
    ),
    scale=UCLA3_SCALE,
    items=(
        Item(
            1,
            "How often do you feel that you lack companionship?",
            _("Do you feel you have nobody to spend time with?"),
        ),
        Item(2, "How often do you feel left out?", _("Do you feel left out?")),
        Item(3, "How often do you feel isolated from others?", _("Do you feel alone?")),
    ),
    bands=(
        Band(3, 5, "not_lonely", _("Not lonely")),
        Band(6, 9, "lonely", _("Lonely")),
    ),
)

# --- Program short forms (not validated) ---------------------------------------------------

REL_MENTEE = Instrument(
    code="REL_MENTEE",
    name=_("Mentoring relationship (mentee)"),
    version="PeerPath relationship survey, mentee 2026-1",
    citation="PeerPath program wording; not a validated instrument.",
    instructions=_("Think about you and your mentor. How true is each sentence for you?"),
    scale=AGREE_5,
    items=(
        Item(1, _("My mentor listens to me."), _("My mentor listens.")),
        Item(2, _("I trust my mentor."), _("I trust my mentor.")),
        Item(3, _("My mentor helps me work on my goals."), _("My mentor helps with my goals.")),
        Item(4, _("My mentor treats me with respect."), _("My mentor is respectful.")),
        Item(5, _("I look forward to meeting my mentor."), _("I like meeting my mentor.")),
    ),
    validated=False,
    at_baseline=False,
    higher_is_better=True,
)

REL_MENTOR = Instrument(
    code="REL_MENTOR",
    name=_("Mentoring relationship (mentor)"),
    version="PeerPath relationship survey, mentor 2026-1",
    citation="PeerPath program wording; not a validated instrument.",
    instructions=_("Think about you and your mentee. How true is each sentence for you?"),
    scale=AGREE_5,
    items=(
        Item(1, _("My mentee and I get along well.")),
        Item(2, _("We work on my mentee's goals together.")),
        Item(3, _("I feel I make a difference for my mentee.")),
        Item(4, _("I get the support I need from the program.")),
        Item(5, _("I feel confident in my role as a mentor.")),
    ),
    validated=False,
    respondent="mentor",
    at_baseline=False,
    higher_is_better=True,
)

DAYS_0_30 = tuple(Option(day, str(day)) for day in range(31))
APPOINTMENTS = (
    Option(0, _("I had no appointments")),
    Option(1, _("I kept none of them")),
    Option(2, _("I kept some of them")),
    Option(3, _("I kept all of them")),
)
HOUSING = (
    Option(1, _("My own place, or a stable place with family or friends")),
    Option(2, _("Supported or transitional housing")),
    Option(3, _("Staying with others for now, or in a shelter")),
    Option(4, _("No place to stay")),
)
WORK_OR_STUDY = (
    Option(1, _("Working or studying")),
    Option(2, _("Looking for work or a course")),
    Option(3, _("Not working or studying")),
)

CHECKIN = Instrument(
    code="CHECKIN",
    name=_("Recovery check-in"),
    version="PeerPath recovery check-in 2026-1",
    citation="PeerPath program wording; not a validated instrument.",
    instructions=_("A few questions about the last 30 days."),
    items=(
        Item(
            1,
            _("In the past 30 days, on how many days did you use alcohol or drugs?"),
            _("How many days did you drink or use drugs? 0 to 30."),
            options=DAYS_0_30,
        ),
        Item(
            2,
            _("In the past 30 days, did you keep your treatment appointments?"),
            _("Did you go to your appointments?"),
            options=APPOINTMENTS,
            scored=False,
        ),
        Item(
            3,
            _(
                "In the past 30 days, did you share needles, syringes or other equipment to "
                "use drugs?"
            ),
            _("Did you share needles or other things to use drugs?"),
            options=YES_NO_UNSAID,
            optional=True,
            scored=False,
        ),
        Item(
            4,
            _(
                "In the past 30 days, did you have sex without a condom with someone whose "
                "HIV or hepatitis C status you did not know?"
            ),
            _("Did you have sex without a condom with someone new?"),
            options=YES_NO_UNSAID,
            optional=True,
            scored=False,
        ),
        Item(
            5,
            _("Where are you living now?"),
            _("Where do you live?"),
            options=HOUSING,
            scored=False,
        ),
        Item(
            6,
            _("Are you working or studying now?"),
            _("Do you work or go to school?"),
            options=WORK_OR_STUDY,
            scored=False,
        ),
        Item(7, _("I feel safe."), _("Do you feel safe?"), options=YES_NO, scored=False),
        Item(
            8, _("I need help now."), _("Do you need help right now?"), options=YES_NO, scored=False
        ),
    ),
    validated=False,
)

# Items of the check-in that a program may leave out (HIV and hepatitis C risk behaviours).
CHECKIN_RISK_ITEMS = (3, 4)

INSTRUMENTS: dict[str, Instrument] = {
    i.code: i for i in (PHQ9, GAD7, BARC10, WHO5, UCLA3, REL_MENTEE, REL_MENTOR, CHECKIN)
}
STANDARDIZED = ("PHQ9", "GAD7", "BARC10", "WHO5", "UCLA3")
CHOICES = [(code, instrument.name) for code, instrument in INSTRUMENTS.items()]

# Flags that raise a safety alert when an answer carries them.
SAFETY_FLAGS = {"suicidal_ideation", "needs_help_now", "not_safe"}
# Flags that mark a crossing of a published cut-off (shown on the mentee's page).
CUTOFF_FLAGS = {
    "PHQ9": "phq9_moderate_or_above",
    "GAD7": "gad7_moderate_or_above",
    "BARC10": "barc10_remission_cutoff",
    "WHO5": "poor_wellbeing",
    "UCLA3": "lonely",
}
FLAG_LABELS = {
    "suicidal_ideation": _("Thoughts of self-harm (PHQ-9 item 9)"),
    "phq9_moderate_or_above": _("PHQ-9 of 10 or more"),
    "gad7_moderate_or_above": _("GAD-7 of 10 or more"),
    "barc10_remission_cutoff": _("BARC-10 at or above 47"),
    "poor_wellbeing": _("WHO-5 below 50"),
    "lonely": _("Lonely (UCLA-3 of 6 or more)"),
    "needs_help_now": _("Needs help now"),
    "not_safe": _("Does not feel safe"),
    "substance_use": _("Used alcohol or drugs"),
    "housing_unstable": _("Unstable housing"),
}


# --- Wording in a language -------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One item as shown: its wording, the easy-read explanation and the answer options, all
    in one language."""

    item: Item
    text: str
    easy: str
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Wording:
    """An instrument's texts in one language.

    For a standardized instrument this is its published version in that language if there is
    one (``version``), otherwise the published English wording (``english_only`` is then true
    for a language other than English: the page says so, and shows each answer's plain
    explanation beside its English label). The program's own forms and every easy-read
    explanation are the program's texts, translated by the catalogue."""

    instrument: Instrument
    language: str
    instructions: str
    questions: tuple[Question, ...]
    version: PublishedVersion | None = None
    english_only: bool = False

    def question(self, number: int) -> Question:
        return next(q for q in self.questions if q.item.number == number)

    @property
    def recorded_version(self) -> str:
        """The version string to record with answers given in this wording."""
        if self.version is None:
            return self.instrument.version
        return f"{self.instrument.version}; {self.version.name}"


def _base_language(language: str | None) -> str:
    return (language or "en").split("-")[0].lower()


def wording(instrument: Instrument, language: str | None = None) -> Wording:
    """The instrument's texts in ``language`` (the active language when None)."""
    language = _base_language(language or translation.get_language())
    version = next((v for v in instrument.published if v.language == language), None)
    english_only = instrument.validated and version is None and language != "en"
    with translation.override(language):
        questions = []
        for item in instrument.items:
            options = tuple(
                Option(
                    option.value,
                    version.options[option.value] if version else str(option.label),
                    str(option.easy) if english_only and option.easy else "",
                )
                for option in instrument.options_for(item)
            )
            questions.append(
                Question(
                    item=item,
                    text=version.items[item.number] if version else str(item.text),
                    easy=str(item.easy),
                    options=options,
                )
            )
        instructions = version.instructions if version else str(instrument.instructions)
    return Wording(
        instrument=instrument,
        language=language,
        instructions=instructions,
        questions=tuple(questions),
        version=version,
        english_only=english_only,
    )


def get(code: str) -> Instrument:
    try:
        return INSTRUMENTS[code]
    except (KeyError, TypeError):
        raise ScoringError(f"Unknown instrument {code!r}.") from None


def check_answer(instrument: Instrument, item: Item, value) -> None:
    """Refuse a value that is not one of the item's options (None only for optional items)."""
    if value is None:
        if item.optional:
            return
        raise ScoringError(f"{instrument.code} item {item.number} has no answer.")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScoringError(
            f"{instrument.code} item {item.number}: {value!r} is not a whole number."
        )
    allowed = [option.value for option in instrument.options_for(item)]
    if value not in allowed:
        raise ScoringError(
            f"{instrument.code} item {item.number}: {value} is outside the scale "
            f"({min(allowed)}–{max(allowed)})."
        )


def score(code: str, answers) -> Score:
    """Score ``answers`` (one whole number per item, in item order) for instrument ``code``."""
    instrument = get(code)
    if not isinstance(answers, list | tuple):
        raise ScoringError(f"{code}: answers must be a list, not {type(answers).__name__}.")
    if len(answers) != len(instrument.items):
        raise ScoringError(
            f"{code} has {len(instrument.items)} items; {len(answers)} answers were given."
        )
    for item, value in zip(instrument.items, answers, strict=True):
        check_answer(instrument, item, value)
    raw = sum(
        value
        for item, value in zip(instrument.items, answers, strict=True)
        if item.scored and value is not None
    )
    reported = raw * instrument.multiplier
    band = instrument.band_for(reported)
    flags = _flags(instrument, answers, reported)
    return Score(
        code=code,
        version=instrument.version,
        total=raw,
        reported=reported,
        band=band.code if band else "",
        flags=tuple(flags),
    )


def _flags(instrument: Instrument, answers, reported: int) -> list[str]:
    code = instrument.code
    flags = []
    if code == "PHQ9":
        if answers[8] > 0:
            flags.append("suicidal_ideation")
        if reported >= 10:
            flags.append("phq9_moderate_or_above")
    elif code == "GAD7" and reported >= 10:
        flags.append("gad7_moderate_or_above")
    elif code == "BARC10" and reported >= 47:
        flags.append("barc10_remission_cutoff")
    elif code == "WHO5" and reported < 50:
        flags.append("poor_wellbeing")
    elif code == "UCLA3" and reported >= 6:
        flags.append("lonely")
    elif code == "CHECKIN":
        if answers[0] > 0:
            flags.append("substance_use")
        if answers[4] in (3, 4):
            flags.append("housing_unstable")
        if answers[6] == 0:
            flags.append("not_safe")
        if answers[7] == 1:
            flags.append("needs_help_now")
    return flags
