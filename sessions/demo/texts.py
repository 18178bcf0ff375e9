"""What the demo's sessions are about and say: topics by life-goal area, summaries, notes,
feedback comments, referral outcomes, and the programs' group sessions."""

# A life-goal area's session topics (topic slugs from the sessions migration).
AREA_TOPICS = {
    "substance-use-recovery": ["relapse-prevention", "treatment-and-appointments"],
    "housing": ["housing"],
    "employment": ["employment"],
    "relationships-family": ["relationships-and-family"],
    "coping-skills": ["coping-skills"],
    "money-benefits": ["money-and-benefits"],
    "transportation": ["transportation"],
    "physical-health": ["health"],
    "education": ["education"],
    "community-connection": ["community-and-recreation"],
    "mental-wellness": ["coping-skills", "health"],
    "independent-living": ["self-advocacy", "money-and-benefits"],
}
# The directory categories that answer a topic.
TOPIC_CATEGORIES = {
    "housing": ["housing"],
    "employment": ["employment"],
    "education": ["education"],
    "health": ["clinic"],
    "treatment-and-appointments": ["treatment", "clinic"],
    "relapse-prevention": ["peer_group", "treatment"],
    "money-and-benefits": ["benefits"],
    "coping-skills": ["peer_group", "crisis"],
    "community-and-recreation": ["peer_group", "other"],
    "transportation": ["other"],
    "self-advocacy": ["other", "benefits"],
    "relationships-and-family": ["peer_group"],
    "resource-navigation": ["benefits", "other", "housing"],
}
SUMMARIES = {
    "housing": [
        "Looked at two apartment listings together and filled in the housing application.",
        "Talked about what to say when calling the landlord about the repairs.",
        "{name} is on the housing waiting list; we made a plan for the next call.",
    ],
    "employment": [
        "Worked on {name}'s résumé and practised answers for Friday's interview.",
        "Talked through how the first week at the new job went.",
        "Looked at job postings together; {name} picked two to apply for.",
    ],
    "education": [
        "Went through the class schedule; {name} wants to start the evening class.",
        "Helped fill in the college application and wrote down what is still needed.",
    ],
    "health": [
        "Talked about getting back to the doctor; {name} booked an appointment.",
        "Went over the new medication schedule and how to remember the doses.",
    ],
    "treatment-and-appointments": [
        "Went over the week's appointments and wrote them in the planner.",
        "{name} went to their counseling appointment and felt it went well.",
    ],
    "relapse-prevention": [
        "Talked about triggers at weekend gatherings and made a plan for Saturday.",
        "{name} shared a hard moment this week and how they got through it.",
        "Went over the recovery plan and who to call when cravings hit.",
    ],
    "coping-skills": [
        "Practised the breathing exercise together; {name} wants to try it before bed.",
        "Talked about a stressful week and wrote down three things that helped.",
        "Made a list of calming things to do when feeling overwhelmed.",
    ],
    "relationships-and-family": [
        "Talked about getting back in touch with family; {name} will write a short letter.",
        "Practised how to say no to a friend who still uses.",
    ],
    "community-and-recreation": [
        "Went for a walk in the park and talked about joining the group on Thursdays.",
        "Looked at free events at the library this month and picked one to try.",
    ],
    "resource-navigation": [
        "Looked through the resource directory together and picked what fits.",
        "Helped {name} call the office and get through the phone menu.",
    ],
    "money-and-benefits": [
        "Made a simple weekly budget together.",
        "Went over the benefits renewal letter and the papers it needs.",
    ],
    "transportation": [
        "Practised the bus route to the clinic together.",
        "Applied for the reduced-fare bus pass.",
    ],
    "self-advocacy": [
        "Practised what to say at the next meeting with the case manager.",
        "{name} spoke up at the doctor's office for the first time; we talked about how it felt.",
    ],
}
NEXT_STEPS = [
    "Next time: check how the phone call went.",
    "Next time: same time, same place.",
    "{name} will bring the letter next time.",
    "Next time we meet at the library.",
]
CANCELLED = [
    "{name} had a clinic appointment at the same time; we moved to next week.",
    "I was sick and called {name} to let them know.",
    "{name} had to work an extra shift.",
    "Bad weather; we agreed to meet next week instead.",
    "{name} asked to cancel, feeling unwell.",
]
NO_SHOW = [
    "{name} did not come and did not answer the phone; I sent a text to check in.",
    "Waited half an hour; {name} texted later that they forgot. Set a reminder for next time.",
    "No answer at the door or on the phone. Will try again tomorrow.",
]
PRIVATE_NOTES = [
    "Seemed more tired than usual; will gently ask about sleep next time.",
    "Money worries came up again; keep an eye on it and mention the benefits office.",
    "Good energy today, the first time they laughed a lot in a session.",
    "A relative who still uses came up; it felt close to my own story, will bring it to "
    "supervision.",
    "Asked if I could lend money; said no kindly and we talked about the food pantry instead.",
]
TALK_NOTES = [
    "Would like to talk with my supervisor about boundaries: {name} has started texting late "
    "at night.",
    "Unsure how to respond when {name} talks about stopping their medication; want to talk it "
    "through in supervision.",
    "{name} asked me to come to a court date with them. Is that OK?",
]
URGENT = (
    "We talked about a hard week and made a safety plan together. We called the crisis line "
    "together.",
    "{name} said they had thought about ending their life this week. Stayed with them, called "
    "988 together, and they agreed to a safety plan and to see their clinician tomorrow. "
    "Called my supervisor right after.",
)
PLACES = {
    "in_person": [
        "Riverside Library, study room 2",
        "Main Street Café",
        "Community center lobby",
        "Walk in Riverside Park",
        "Program office, meeting room",
    ],
    "phone": ["Phone call"],
    "video": ["Video call (link sent by text)"],
}
FEEDBACK_COMMENTS = [
    "I like our talks. I feel heard.",
    "It helped to practise the phone call.",
    "Shorter meeting next time please, I was tired.",
    "I like meeting at the library.",
    "Thank you for coming with me to the office.",
    "Good to have someone who gets it.",
]
FEEDBACK_COMMENTS_LOW = [
    "I felt a bit rushed today.",
    "It was hard to talk in the café, too loud.",
    "I wanted to talk about my job but we ran out of time.",
]
FEEDBACK_COMMENTS_ES = ["Me gusta hablar con mi mentor.", "Me ayudó mucho hoy, gracias."]
OUTCOMES_CONNECTED = [
    "Has an intake appointment next week.",
    "Went to the first meeting and wants to go back.",
    "Staff were kind and helped with the form.",
    "Got what they needed on the first visit.",
    "Connected, but the wait for the next step is long.",
]
OUTCOMES_NOT_CONNECTED = [
    "Could not get through on the phone; will try again together.",
    "Waiting list is six months.",
    "Did not feel ready yet.",
    "The hours clash with work.",
]

# Each program's group sessions: (title, weekday, hour, minute, place).
SUPPORT_GROUPS = {
    "su": ("Thursday evening recovery support group", 3, 18, 0, "Program office, group room"),
    "idd": ("Friday friends group", 4, 15, 0, "Riverside Community Center, room 4"),
    "mh": ("Tuesday peer support circle", 1, 17, 30, "Eastside Library, meeting room B"),
}
WORKSHOPS = {
    "su": [
        ("Budgeting basics", "money-and-benefits"),
        ("Getting ready for job interviews", "employment"),
        ("Know your rights as a tenant", "housing"),
        ("Naloxone training", "health"),
        ("Sealing your record: how it works", "self-advocacy"),
        ("Staying on track through the holidays", "relapse-prevention"),
    ],
    "idd": [
        ("Using the bus with confidence", "transportation"),
        ("Cooking on a budget", "money-and-benefits"),
        ("My rights at work", "self-advocacy"),
        ("Making and keeping friends", "relationships-and-family"),
        ("Calm body, calm mind", "coping-skills"),
        ("Getting ready for college", "education"),
    ],
    "mh": [
        ("Wellness Recovery Action Plan (WRAP) intro", "coping-skills"),
        ("Sleep and stress", "health"),
        ("Back to work without losing benefits", "money-and-benefits"),
        ("Talking with your doctor", "self-advocacy"),
        ("Mindfulness for beginners", "coping-skills"),
        ("Finding housing that fits", "housing"),
    ],
}
COMMUNITY_EVENTS = {
    "su": ("Recovery Month picnic", "Riverside Park, pavilion 2"),
    "idd": ("Game afternoon and pizza", "Riverside Community Center, hall"),
    "mh": ("Art show: our stories", "Eastside Library, gallery"),
}
GROUP_TOPICS = ["coping-skills", "relapse-prevention", "relationships-and-family",
                "community-and-recreation", "self-advocacy", "health"]  # fmt: skip

DAY_INDEX = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
PART_HOURS = {"morning": (9, 11), "afternoon": (13, 16), "evening": (17, 19)}
