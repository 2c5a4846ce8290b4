"""Reference data for the sample exports: programmes, EPA components, awarding bodies,
employers, tutors and names.

Everything here is fictional (organisations, EPAO IDs, people); programme titles, standard
references and funding bands are modelled on real apprenticeship standards so the demo reads
like a real caseload. The generator only reads these tables; changing the demo's mix is an
edit here, not in the code.
"""

from __future__ import annotations

from dataclasses import dataclass

EPA_PREFIX = "EPA Assessment – "  # EN DASH (U+2013), as the learner system writes it
OVERALL_COMPONENT = "Overall Outcome"
GATEWAY_TITLE = "Gateway sign-off"


@dataclass(frozen=True)
class Component:
    name: str
    abbreviation: str
    graded: bool  # Pass / Merit / Distinction, else Pass only


@dataclass(frozen=True)
class Epao:
    name: str
    epao_id: str
    candidate_prefix: str


@dataclass(frozen=True)
class Programme:
    title: str
    code: str  # cohort prefix
    standard: str  # standard reference, the EPA's qualification number
    level: int
    components: tuple[Component, ...]
    epao: Epao
    funding_band: str
    tutors: tuple[str, ...]
    weight: float  # share of the caseload
    functional_skills_share: float  # share of learners with Functional Skills on programme


KNOWLEDGE_TEST = Component("Knowledge Test", "KT", True)
PROFESSIONAL_DISCUSSION = Component("Professional Discussion", "PD", True)
OBSERVATION = Component("Observation", "OB", False)
PRESENTATION = Component("Presentation", "PR", True)
PORTFOLIO_INTERVIEW = Component("Portfolio Interview", "PI", True)
PROJECT_PRESENTATION = Component("Project Presentation", "PP", True)
PROJECT = Component("Project", "PJ", True)

PROGRAMMES: tuple[Programme, ...] = (
    Programme("Team Leader / Supervisor (Level 3)", "TLS", "ST0384", 3,
              (PRESENTATION, PROFESSIONAL_DISCUSSION),
              Epao("Northern Assessment Partnership", "EPA0412", "NAP"), "£4,500",
              ("Priya Shah", "Mark Ellison", "Joanne Pritchard"), 0.28, 0.18),
    Programme("Customer Service Practitioner (Level 2)", "CSP", "ST0072", 2,
              (OBSERVATION, PROFESSIONAL_DISCUSSION),
              Epao("Clearview End-Point Assessment", "EPA0157", "CVE"), "£3,500",
              ("Dean Okafor", "Rachel Hughes"), 0.22, 0.30),
    Programme("Business Administrator (Level 3)", "BA", "ST0070", 3,
              (PORTFOLIO_INTERVIEW, PROJECT_PRESENTATION),
              Epao("Northern Assessment Partnership", "EPA0412", "NAP"), "£5,000",
              ("Sophie Turner", "Imran Qureshi", "Helen Doyle"), 0.22, 0.20),
    Programme("Data Analyst (Level 4)", "DA", "ST0118", 4,
              (PROJECT, PROFESSIONAL_DISCUSSION),
              Epao("Quayside Digital Assessment", "EPA0733", "QDA"), "£19,000",
              ("Tom Whitfield", "Anjali Mehta"), 0.13, 0.06),
    Programme("Digital Marketer (Level 3)", "DM", "ST0122", 3,
              (KNOWLEDGE_TEST, OBSERVATION, PROFESSIONAL_DISCUSSION),
              Epao("Quayside Digital Assessment", "EPA0733", "QDA"), "£15,000",
              ("Lucy Barnes", "Owen Griffiths"), 0.15, 0.15),
)
MAX_COMPONENTS = max(len(p.components) for p in PROGRAMMES)


@dataclass(frozen=True)
class FunctionalSkill:
    title: str
    number: str  # QAN
    assessment: str


FUNCTIONAL_SKILLS: tuple[FunctionalSkill, ...] = (
    FunctionalSkill("Functional Skills English Level 2", "610/1245/X", "English Level 2 Exam"),
    FunctionalSkill("Functional Skills Maths Level 2", "610/1246/1", "Maths Level 2 Exam"),
)
FUNCTIONAL_SKILLS_BODY = "Pennant Awarding"
FUNCTIONAL_SKILLS_PREFIX = "PA"

EMPLOYERS: tuple[str, ...] = (
    "Northbridge Logistics Ltd", "Harrow & Vale Housing Association", "Calderbrook Foods plc",
    "Mersey Point Contact Centres", "Ashdown Building Society", "Kestrel Facilities Management",
    "Blue Finch Digital Ltd", "Penrose Care Group", "Stourside Engineering Ltd",
    "Marlow Street Retail", "Greenway Energy Services", "Tamar Valley Council",
    "Ironbridge Insurance Services", "Oakham Veterinary Partners", "Thistle & Rose Hotels",
    "Sefton Park Pharmacy Group", "Wexcombe Analytics Ltd", "Highmoor Academy Trust",
    "Linthorpe Telecom", "Cobalt Street Marketing", "Fenwick Hall Solicitors LLP",
    "Riverside Community Health", "Brackenfield Manufacturing", "Sable Cloud Solutions",
    "Whitecliff Leisure Ltd",
)
# Larger employers put more apprentices on programme.
EMPLOYER_WEIGHTS: tuple[float, ...] = (
    9, 7, 7, 6, 6, 5, 5, 5, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 1, 1,
)

FIRST_NAMES: tuple[str, ...] = (
    "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Noah", "Mia", "Jack", "Ivy",
    "Leo", "Grace", "Arthur", "Freya", "Muhammad", "Lily", "Oscar", "Florence", "Charlie",
    "Sophia", "Jacob", "Emily", "Thomas", "Ella", "Alfie", "Poppy", "Reggie", "Evie", "Theo",
    "Isabella", "Finley", "Ruby", "Archie", "Willow", "Henry", "Olivia", "Joshua", "Aisha",
    "Kai", "Zara", "Ethan", "Chloe", "Ryan", "Megan", "Daniel", "Hannah", "Kieran", "Jade",
    "Callum", "Niamh", "Rhys", "Ffion", "Ewan", "Eilidh", "Tomasz", "Zofia", "Arjun", "Priya",
    "Kwame", "Amara",
)
LAST_NAMES: tuple[str, ...] = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
    "Thomas", "Clarke", "Jackson", "Wood", "Harris", "Edwards", "Turner", "Martin", "Cooper",
    "Hill", "Ward", "Hughes", "Moore", "Clark", "King", "Harrison", "Lewis", "Baker", "Lee",
    "Allen", "Morris", "Khan", "Scott", "Watson", "Davis", "Parker", "James", "Bennett",
    "Young", "Phillips", "Richardson", "Mitchell", "Bailey", "Carter", "Cook", "Singh",
    "Shaw", "Bell", "Collins", "Morgan", "Kelly", "Begum", "Nowak", "Okoro", "Campbell",
    "O'Brien",
)
