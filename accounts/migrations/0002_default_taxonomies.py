"""The staff-editable taxonomies start with the program's own words.

Life-goal areas and lived-experience areas come from the program description (housing,
employment, coping skills, recovery from substance use, living with a mental-health
condition, IDD-MH...). Staff rename, reorder, add or retire terms afterwards in the admin;
this migration only gives a new installation a sensible starting list.
"""

from django.db import migrations

LIFE_GOAL_AREAS = [
    ("housing", "Housing"),
    ("employment", "Employment"),
    ("education", "Education"),
    ("substance-use-recovery", "Recovery from substance use"),
    ("mental-wellness", "Mental wellness"),
    ("relationships-family", "Relationships and family"),
    ("independent-living", "Independent living"),
    ("physical-health", "Physical health"),
    ("community-connection", "Community connection"),
    ("coping-skills", "Coping skills"),
    ("money-benefits", "Money and benefits"),
    ("transportation", "Transportation"),
]

LIVED_EXPERIENCE = [
    ("alcohol-use-recovery", "Recovery from alcohol use"),
    ("opioid-use-recovery", "Recovery from opioid use"),
    ("stimulant-use-recovery", "Recovery from stimulant use"),
    ("cannabis-use-recovery", "Recovery from cannabis use"),
    ("depression", "Living with depression"),
    ("anxiety", "Living with anxiety"),
    ("bipolar-disorder", "Living with bipolar disorder"),
    ("psychosis-schizophrenia", "Living with psychosis or schizophrenia"),
    ("ptsd-trauma", "Living with PTSD or trauma"),
    ("idd", "Intellectual or developmental disability"),
    ("homelessness", "Homelessness"),
    ("justice-involvement", "Incarceration or justice involvement"),
    ("foster-care", "Foster care"),
    ("parenting-in-recovery", "Parenting in recovery"),
]

# (slug, name, code): codes are BCP 47 tags; "sgn-ase" is American Sign Language.
LANGUAGES = [
    ("english", "English", "en"),
    ("spanish", "Spanish", "es"),
    ("haitian-creole", "Haitian Creole", "ht"),
    ("vietnamese", "Vietnamese", "vi"),
    ("chinese", "Chinese", "zh"),
    ("portuguese", "Portuguese", "pt"),
    ("arabic", "Arabic", "ar"),
    ("asl", "American Sign Language (ASL)", "sgn-ase"),
]

INTERESTS = [
    ("sports", "Sports"),
    ("music", "Music"),
    ("art-crafts", "Art and crafts"),
    ("cooking", "Cooking"),
    ("gaming", "Gaming"),
    ("faith-spirituality", "Faith and spirituality"),
    ("nature-outdoors", "Nature and outdoors"),
    ("reading", "Reading"),
    ("volunteering", "Volunteering"),
    ("technology", "Technology"),
]


def seed_taxonomies(apps, schema_editor):
    def seed(model_name, rows):
        model = apps.get_model("accounts", model_name)
        for position, (slug, name, *extra) in enumerate(rows, start=1):
            defaults = {"name": name, "sort_order": position * 10, "is_active": True}
            if extra:
                defaults["code"] = extra[0]
            model.objects.update_or_create(slug=slug, defaults=defaults)

    seed("LifeGoalArea", LIFE_GOAL_AREAS)
    seed("LivedExperience", LIVED_EXPERIENCE)
    seed("Language", LANGUAGES)
    seed("Interest", INTERESTS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed_taxonomies, migrations.RunPython.noop),
    ]
