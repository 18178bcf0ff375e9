"""The picture beside each answer of a measure in easy-read mode (static files, no outside
service). The words of the answers never change: the picture only helps to find them.

- answers that say how much or how often (frequency, agreement, well-being scales) get a
  picture scale: bars of rising height, as many filled as the answer's rank on the scale;
- yes / no / "I prefer not to say" get the same pictures as the session feedback;
- the recovery check-in's housing and work answers get a picture of each.
"""

from evaluation import instruments

YES_NO = {1: "img/faces/yes.svg", 0: "img/faces/no.svg", 9: "img/faces/not_sure.svg"}
NAMED = (
    (
        instruments.HOUSING,
        {
            1: "img/easy/house.svg",
            2: "img/easy/house-help.svg",
            3: "img/easy/bed.svg",
            4: "img/easy/no-house.svg",
        },
    ),
    (
        instruments.WORK_OR_STUDY,
        {1: "img/easy/work.svg", 2: "img/easy/search.svg", 3: "img/easy/pause.svg"},
    ),
    (
        instruments.APPOINTMENTS,
        {
            0: "img/easy/calendar.svg",
            1: "img/levels/3-0.svg",
            2: "img/levels/3-1.svg",
            3: "img/levels/3-2.svg",
        },
    ),
    (instruments.YES_NO, YES_NO),
    (instruments.YES_NO_UNSAID, YES_NO),
)
# A number of days, typed in: a calendar beside the box.
DAYS = "img/easy/calendar.svg"
LEVELS_UP_TO = 6


def option_pictures(options: tuple[instruments.Option, ...]) -> dict[int, str]:
    """Answer value → the static path of its picture (empty when the scale has none)."""
    for scale, pictures in NAMED:
        if options is scale:
            return pictures
    if not 2 <= len(options) <= LEVELS_UP_TO:
        return {}
    ranked = sorted(option.value for option in options)
    return {value: f"img/levels/{len(options)}-{rank}.svg" for rank, value in enumerate(ranked)}
