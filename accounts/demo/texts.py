"""Words for the demo program: names, places, goals in the mentees' own words, notes.

Kept apart from the planner (``accounts.demo.planner``) so that its logic stays readable.
Every phone number is in the 555-01xx range that is reserved for fiction, and every email
address is at example.org.
"""


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",")]


# --- Names ---------------------------------------------------------------------------------

FIRST_NAMES = {
    # (language group, gender) -> first names
    ("en", "woman"): _names(
        "Ashley, Brianna, Keisha, Megan, Tanya, Courtney, Jasmine, Heather, Monique, "
        "Kayla, Erin, Shanice, Laura, Denise, Hannah, Tiffany, Amber, Nicole, Grace, "
        "Naomi, Brittany, Crystal, Holly, Latoya"
    ),
    ("en", "man"): _names(
        "Tyler, DeShawn, Kevin, Brandon, Jamal, Ryan, Curtis, Derek, Ethan, Malik, "
        "Travis, Owen, Andre, Caleb, Terrence, Darnell, Kyle, Nathan, Isaac, Shawn, "
        "Cody, Trevor, Luke, Dwayne"
    ),
    ("en", "non_binary"): _names("Riley, Avery, Quinn, Sky, Rowan, Casey, Jesse, Alex"),
    ("es", "woman"): _names(
        "María, Carmen, Daniela, Yesenia, Rosa, Gabriela, Marisol, Ana, Valeria, Luz, "
        "Adriana, Paola, Leticia, Beatriz"
    ),
    ("es", "man"): _names(
        "José, Luis, Carlos, Miguel, Alejandro, Jorge, Héctor, Javier, Andrés, Rafael, "
        "Diego, Manuel, Ernesto, Julio"
    ),
    ("es", "non_binary"): _names("Ariel, Cruz, Noel"),
    ("ht", "woman"): _names("Fabiola, Marie-Claude, Nadège, Guerda"),
    ("ht", "man"): _names("Wilner, Jean-Robert, Frantz, Emmanuel"),
    ("vi", "woman"): _names("Linh, Thao, Huong"),
    ("vi", "man"): _names("Minh, Duc, Khoa"),
    ("zh", "woman"): _names("Mei, Xiu, Lan"),
    ("zh", "man"): _names("Wei, Jun, Hao"),
    ("pt", "woman"): _names("Ana Paula, Fernanda, Rita"),
    ("pt", "man"): _names("João, Tiago, Paulo"),
    ("ar", "woman"): _names("Layla, Rania, Samira"),
    ("ar", "man"): _names("Omar, Yusuf, Karim"),
}

LAST_NAMES = {
    "en": _names(
        "Sullivan, Patel, Murphy, Washington, Harper, Jenkins, Kowalski, O'Brien, "
        "Fischer, Grant, Hayes, Palmer, Reed, Simmons, Walsh, Young, Dubois, Carter, "
        "Morgan, Foster, Bennett, Holloway, McKenzie, Price, Sanders, Thompson, "
        "Jackson, Robinson, Lewis, Mitchell, Howard, Porter, Wallace, Gibson, Nolan, "
        "Barnes, Hughes, Fletcher, Lambert, Dawson"
    ),
    "es": _names(
        "García, Rodríguez, Martínez, Hernández, López, González, Pérez, Sánchez, "
        "Ramírez, Torres, Flores, Rivera, Gómez, Díaz, Morales, Cruz, Ortiz, Vargas, "
        "Castillo, Medina, Santiago, Delgado, Mendoza, Ruiz"
    ),
    "ht": _names("Pierre, Baptiste, Joseph, Charles, Desir"),
    "vi": _names("Nguyen, Tran, Pham, Le"),
    "zh": _names("Chen, Li, Wang, Zhang"),
    "pt": _names("Costa, Souza, Almeida, Ferreira"),
    "ar": _names("Haddad, Mansour, Khalil, Nasser"),
}

# --- Places and agencies -------------------------------------------------------------------

NEIGHBOURHOODS = {
    "riverside": ["Riverside", "Mill Creek", "Northgate", "Harbor Point", "Elm Park", "Canal St"],
    "eastside": ["Eastside", "Dutch Hill", "Lakeview", "Fairmount", "Cedar Grove", "Union Sq"],
}

REFERRAL_SOURCES = {
    "su": [
        "Riverside Recovery Clinic",
        "County Drug Court",
        "St. Brendan's Hospital detox unit",
        "Harbor House Shelter",
        "Riverside Community Mental Health",
        "Self-referral",
    ],
    "idd": [
        "Regional Developmental Services",
        "Lincoln High School transition program",
        "Riverside Community Mental Health",
        "Family member",
        "Bright Futures group home",
    ],
    "mh": [
        "Eastside Community Mental Health",
        "St. Brendan's Hospital inpatient unit",
        "County Behavioral Health Services",
        "Eastside Family Practice",
        "Self-referral",
    ],
}

CLINICIANS = [
    "Dr. Helen Marsh",
    "Kofi Mensah, LCSW",
    "Dr. Rebecca Stone",
    "Alicia Navarro, LMHC",
    "Tom Greenberg, RN",
    "Dr. Farah Siddiqui",
]

# --- Profile texts -------------------------------------------------------------------------

ACCESSIBILITY_NEEDS = [
    "Large print on anything written.",
    "Uses a wheelchair: meeting places need step-free access.",
    "Hard of hearing: face them when talking, a quiet room helps.",
    "Gets tired quickly; meetings of 30 minutes or less.",
    "Low vision: phone calls or large print rather than texts.",
    "Needs a quiet, not too bright room (sensory sensitivity).",
]

COMMUNICATION_NEEDS_IDD = [
    "Plain words, one thing at a time. Check back that the plan is clear.",
    "A support person (their mom) comes to meetings.",
    "Likes pictures with written steps; a reminder text the day before.",
    "Needs extra time to answer; do not rush or finish their sentences.",
    "Their job coach or group-home staff helps with scheduling.",
    "Reads a little: read things out loud together.",
    "Uses a communication app on their tablet for longer answers.",
]

COMMUNICATION_NEEDS = [
    "Prefers texts to calls.",
    "Call after 3 pm, works mornings.",
    "Written summary after each meeting helps them remember.",
    "Prefers an interpreter for paperwork and appointments.",
]

MENTEE_STAFF_NOTES = [
    "Works mornings at the bakery; afternoons are best.",
    "Shares a phone with their sister; leave messages with care.",
    "Lost housing last winter; currently staying with a cousin.",
    "Very motivated; asked for a mentor who has been through the court system.",
    "Gets anxious in groups; one-to-one meetings first.",
    "Takes the bus; meeting places near a bus line.",
    "Has a young daughter; meetings during school hours.",
    "",
    "",
    "",
]

MENTOR_BIO_OPENINGS = {
    "su": [
        "In recovery since {year}.",
        "I have been sober since {year} and still go to meetings every week.",
        "Recovery gave me my life back in {year}.",
    ],
    "idd": [
        "I have worked with young adults for years and I have my own mental-health story.",
        "I grew up with a learning disability and know how it feels when nobody explains.",
        "My brother has autism; I have lived with anxiety since I was a teen.",
    ],
    "mh": [
        "I have lived with depression since my twenties and found my way back.",
        "I live with bipolar disorder and have been well for years with the right support.",
        "I know anxiety from the inside, and what helps on a bad day.",
    ],
}
MENTOR_BIO_MIDDLES = [
    "I like cooking for friends and long walks by the river.",
    "Music got me through the hard years; I still play guitar.",
    "I volunteer at the food pantry on Saturdays.",
    "I am a big sports fan and coach a youth basketball team.",
    "I do art and crafts and love the library.",
    "I fix old bikes and like being outdoors.",
]
MENTOR_BIO_ENDINGS = [
    "I am here to listen, not to judge.",
    "I remember how lonely the first months were.",
    "Small steps add up; I would love to walk them with you.",
    "I know the housing and benefits offices well and can help with the paperwork.",
]

# --- Goals in the mentees' own words -------------------------------------------------------
# area slug -> [(statement in English, statement in Spanish, steps in English, in Spanish)]

GOALS = {
    "housing": [
        (
            "Find a room I can afford near the bus line",
            "Encontrar un cuarto que pueda pagar cerca de la línea del autobús",
            [
                "Write down what I can pay each month",
                "Apply for the housing voucher",
                "Visit two rooms on the bus line",
                "Ask my mentor to come when I sign the lease",
            ],
            [
                "Anotar cuánto puedo pagar cada mes",
                "Pedir el vale de vivienda",
                "Ver dos cuartos cerca del autobús",
                "Pedirle a mi mentor que venga cuando firme",
            ],
        ),
        (
            "Get my own apartment and keep it",
            "Tener mi propio apartamento y quedarme ahí",
            ["Get on the waiting list", "Save for the deposit", "Learn to pay rent on time"],
            [
                "Entrar en la lista de espera",
                "Ahorrar para el depósito",
                "Aprender a pagar la renta a tiempo",
            ],
        ),
    ],
    "employment": [
        (
            "Get a part-time job where people are nice to me",
            "Conseguir un trabajo de medio tiempo donde me traten bien",
            [
                "Make a list of jobs I like",
                "Practice a job interview with my mentor",
                "Apply to three places",
            ],
            [
                "Hacer una lista de trabajos que me gustan",
                "Practicar una entrevista con mi mentor",
                "Mandar solicitudes a tres lugares",
            ],
        ),
        (
            "Get my forklift certificate and a warehouse job",
            "Sacar mi certificado de montacargas y trabajar en un almacén",
            ["Find a course I can pay for", "Pass the test", "Update my résumé"],
            ["Buscar un curso que pueda pagar", "Pasar el examen", "Actualizar mi currículum"],
        ),
    ],
    "education": [
        (
            "Get my GED",
            "Sacar mi GED",
            [
                "Sign up for the free GED class",
                "Go to class twice a week",
                "Take the math practice test",
                "Book the real test",
            ],
            [
                "Inscribirme en la clase gratis de GED",
                "Ir a clase dos veces por semana",
                "Hacer el examen de práctica de matemáticas",
                "Reservar el examen de verdad",
            ],
        ),
        (
            "Take a class at the community college",
            "Tomar una clase en el colegio comunitario",
            ["Visit the college with my mentor", "Fill in the financial aid form", "Pick a class"],
            [
                "Visitar el colegio con mi mentor",
                "Llenar la solicitud de ayuda financiera",
                "Escoger una clase",
            ],
        ),
    ],
    "substance-use-recovery": [
        (
            "Stay clean one day at a time and go to three meetings a week",
            "Seguir limpio un día a la vez e ir a tres reuniones por semana",
            [
                "Find meetings near my place",
                "Get a sponsor",
                "Call someone before I use, not after",
            ],
            [
                "Buscar reuniones cerca de mi casa",
                "Conseguir un padrino",
                "Llamar a alguien antes de usar, no después",
            ],
        ),
        (
            "Make it to six months sober",
            "Llegar a seis meses sin tomar",
            [
                "Write my list of triggers",
                "Plan what to do on Friday nights",
                "Celebrate 90 days",
            ],
            [
                "Escribir mi lista de cosas que me hacen querer tomar",
                "Planear qué hacer los viernes por la noche",
                "Celebrar 90 días",
            ],
        ),
    ],
    "mental-wellness": [
        (
            "Sleep better and stop skipping meals",
            "Dormir mejor y no saltarme comidas",
            ["Go to bed at the same time", "Eat breakfast every day", "Put my phone away at 11"],
            [
                "Acostarme a la misma hora",
                "Desayunar todos los días",
                "Guardar el teléfono a las 11",
            ],
        ),
        (
            "Know my warning signs and what to do about them",
            "Conocer mis señales de alerta y qué hacer",
            [
                "Write my wellness plan",
                "Share it with someone I trust",
                "Keep the crisis number in my phone",
            ],
            [
                "Escribir mi plan de bienestar",
                "Compartirlo con alguien de confianza",
                "Guardar el número de crisis en mi teléfono",
            ],
        ),
    ],
    "relationships-family": [
        (
            "See my kids every weekend again",
            "Volver a ver a mis hijos cada fin de semana",
            [
                "Go to the parenting class",
                "Talk with my case worker about visits",
                "Plan a fun Saturday with them",
            ],
            [
                "Ir a la clase para padres",
                "Hablar con mi trabajadora sobre las visitas",
                "Planear un sábado divertido con ellos",
            ],
        ),
        (
            "Make one new friend who does not use",
            "Hacer un amigo nuevo que no use drogas",
            ["Go to the Tuesday group", "Say hi to one person", "Invite someone for coffee"],
            [
                "Ir al grupo de los martes",
                "Saludar a una persona",
                "Invitar a alguien a tomar un café",
            ],
        ),
    ],
    "independent-living": [
        (
            "Cook three easy meals on my own",
            "Cocinar tres comidas fáciles yo solo",
            ["Pick three recipes with pictures", "Shop for one recipe", "Cook it with my mentor"],
            [
                "Escoger tres recetas con fotos",
                "Comprar lo de una receta",
                "Cocinarla con mi mentor",
            ],
        ),
        (
            "Take the bus to work by myself",
            "Ir al trabajo en autobús yo solo",
            [
                "Ride the route with my mentor",
                "Learn to use the bus app",
                "Ride it alone with a check-in text",
            ],
            [
                "Hacer la ruta con mi mentor",
                "Aprender a usar la aplicación del autobús",
                "Ir solo y mandar un mensaje al llegar",
            ],
        ),
    ],
    "physical-health": [
        (
            "Walk 20 minutes every day",
            "Caminar 20 minutos cada día",
            ["Buy comfortable shoes", "Walk with my mentor once a week", "Track my walks"],
            [
                "Comprar zapatos cómodos",
                "Caminar con mi mentor una vez por semana",
                "Anotar mis caminatas",
            ],
        ),
        (
            "Go to the dentist for the first time in years",
            "Ir al dentista por primera vez en años",
            ["Find a dentist that takes my insurance", "Make the appointment", "Go"],
            ["Buscar un dentista que acepte mi seguro", "Hacer la cita", "Ir"],
        ),
    ],
    "community-connection": [
        (
            "Join a group where I feel I belong",
            "Unirme a un grupo donde me sienta parte",
            [
                "Look at the community center calendar",
                "Try one group",
                "Go back a second time",
            ],
            [
                "Ver el calendario del centro comunitario",
                "Probar un grupo",
                "Volver una segunda vez",
            ],
        ),
        (
            "Volunteer somewhere once a month",
            "Hacer voluntariado una vez al mes",
            ["Pick a place (food pantry or animal shelter)", "Call them", "Do my first shift"],
            [
                "Escoger un lugar (banco de comida o refugio de animales)",
                "Llamarlos",
                "Hacer mi primer turno",
            ],
        ),
    ],
    "coping-skills": [
        (
            "Calm down when I get angry instead of walking out",
            "Calmarme cuando me enojo en vez de irme",
            [
                "Learn the breathing exercise",
                "Use it once this week",
                "Tell my mentor how it went",
            ],
            [
                "Aprender el ejercicio de respiración",
                "Usarlo una vez esta semana",
                "Contarle a mi mentor cómo me fue",
            ],
        ),
        (
            "Have a plan for bad nights",
            "Tener un plan para las noches difíciles",
            [
                "Write three things that help me",
                "Save two numbers I can call",
                "Try the plan once",
            ],
            [
                "Escribir tres cosas que me ayudan",
                "Guardar dos números a los que puedo llamar",
                "Probar el plan una vez",
            ],
        ),
    ],
    "money-benefits": [
        (
            "Get my SSI paperwork done",
            "Terminar los papeles del SSI",
            [
                "Gather my ID and letters",
                "Go to the benefits office with my mentor",
                "Call back about the decision",
            ],
            [
                "Juntar mi identificación y las cartas",
                "Ir a la oficina de beneficios con mi mentor",
                "Llamar para saber la decisión",
            ],
        ),
        (
            "Open a bank account and save $20 a week",
            "Abrir una cuenta de banco y ahorrar $20 por semana",
            ["Find a bank with no fees", "Open the account", "Set up an automatic transfer"],
            [
                "Buscar un banco sin cargos",
                "Abrir la cuenta",
                "Poner una transferencia automática",
            ],
        ),
    ],
    "transportation": [
        (
            "Get my driver's license back",
            "Recuperar mi licencia de manejar",
            ["Pay the old fines", "Study for the permit test", "Book the road test"],
            [
                "Pagar las multas viejas",
                "Estudiar para el examen del permiso",
                "Reservar el examen de manejo",
            ],
        ),
        (
            "Get a reduced-fare bus pass",
            "Sacar el pase de autobús con descuento",
            ["Get the form from the clinic", "Have my doctor sign it", "Take it to the office"],
            [
                "Pedir el formulario en la clínica",
                "Que mi doctor lo firme",
                "Llevarlo a la oficina",
            ],
        ),
    ],
}

PROGRESS_NOTES = {
    "not_started": [
        "Goal set at the intake interview.",
        "We wrote this goal down together in the mentee's words.",
    ],
    "in_progress": [
        "Did the first step this week and felt proud of it.",
        "Hard week; we broke the next step into something smaller.",
        "Went to the office together; the paperwork is in.",
        "Practised at our meeting; will try it alone before next time.",
        "Some progress. Missed one meeting but called to say so, which is new.",
        "Called the place together on speakerphone; appointment booked.",
        "Feeling more confident about this one.",
    ],
    "achieved": [
        "Done! We celebrated at our meeting.",
        "Reached it. Wants to set the next goal in this area.",
    ],
    "set_aside": [
        "Putting this aside for now to focus on staying well.",
        "Decided this is not the right time; may come back to it.",
    ],
}
