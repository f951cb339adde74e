"""The organization's proportions and the texts its records carry."""

from __future__ import annotations

import itertools

from programs.models import DEFAULT_SESSION_TOPICS

DIVISIONS = [
    ("Clinical Services", 0.22),
    ("Research", 0.14),
    ("Operations", 0.16),
    ("Finance", 0.09),
    ("Technology", 0.14),
    ("People and Culture", 0.07),
    ("Sales and Marketing", 0.11),
    ("Legal and Compliance", 0.07),
]
HR_DIVISION = 5  # People and Culture: the HR admin's
TEAMS = ["Strategy", "Analytics", "Delivery", "Quality", "Partnerships"]
TEAMS += ["Planning", "Support", "Innovation", "Programs", "Services"]
LEVEL_SHARE = [0.10, 0.13, 0.14, 0.13, 0.12, 0.10, 0.09, 0.07, 0.05, 0.04, 0.02, 0.01]  # levels 1-12
TITLES = ["Associate", "Associate", "Analyst", "Specialist", "Senior specialist", "Lead", "Manager"]
TITLES += ["Senior manager", "Director", "Senior director", "Vice president", "Executive vice president"]
LOCATIONS = [("Baltimore", 0.3), ("Boston", 0.15), ("Chicago", 0.15), ("Remote", 0.2), ("Toronto", 0.1)]
LOCATIONS += [("Denver", 0.05), ("Seattle", 0.05)]
# Self-identified by about four in five; some categories are rare, as the suppression rules must meet them.
GENDERS = [("Woman", 0.475), ("Man", 0.475), ("Non-binary", 0.03), ("Self-described", 0.015)]
GENDERS += [("Two-spirit", 0.005)]
ETHNICITIES = [("White", 0.46), ("Asian", 0.17), ("Hispanic or Latino", 0.15), ("Black", 0.13)]
ETHNICITIES += [("Two or more", 0.05), ("Middle Eastern or North African", 0.02)]
ETHNICITIES += [("American Indian or Alaska Native", 0.012), ("Native Hawaiian or Pacific Islander", 0.008)]
LEFT_REASONS = [("voluntary", 0.66), ("involuntary", 0.12), ("retirement", 0.12), ("end_of_contract", 0.06)]
LEFT_REASONS += [("other", 0.04)]
FIRST_NAMES = ["Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal", "Kofi"]
FIRST_NAMES += ["Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Viktor"]
FIRST_NAMES += ["Wen", "Xavier", "Yara", "Zoe", "Amara", "Bruno", "Carmen", "Dmitri"]
LAST_NAMES = ["Abbott", "Brennan", "Chen", "Diallo", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Jensen"]
LAST_NAMES += ["Kowalski", "Lopez", "Moreau", "Nguyen", "Okafor", "Patel", "Quispe", "Rossi", "Santos"]
LAST_NAMES += ["Tanaka", "Ueda", "Varga", "Walsh", "Xu", "Yilmaz", "Zhang", "Adeyemi", "Novak"]

# (name, kind, purpose, status, share of the pairs): mostly running and closed, the largest (running) first.
PROGRAMS = [
    ("Leadership pipeline", "one_to_one", "leadership_pipeline", "running", 0.30),
    ("Clinical careers", "one_to_one", "career_development", "closed", 0.16),
    ("Women in leadership", "one_to_one", "diversity_inclusion", "running", 0.14),
    ("New starter buddies", "one_to_one", "onboarding", "closed", 0.12),
    ("Reverse mentoring: digital", "reverse", "culture", "running", 0.10),
    ("Emerging researchers", "one_to_one", "career_development", "closed", 0.08),
    ("Retention circles", "group", "retention", "closed", 0.10),
    ("First-time managers", "one_to_one", "leadership_pipeline", "matching", 0.0),
    ("Inclusive leadership", "one_to_one", "diversity_inclusion", "enrolling", 0.0),
    ("Sales accelerator", "one_to_one", "career_development", "draft", 0.0),
]
# (metric, objective, baseline, target)
KEY_RESULTS = [
    ("participation_rate", "Reach more of the organization", "3", "6"),
    ("match_rate", "Pair everyone who applies", "75", "90"),
    ("sessions_per_pair_month", "Pairs meet regularly", "1.2", "2"),
    ("average_session_rating", "Sessions are worth the time", "3.9", "4.3"),
    ("goal_completion", "Pairs reach their goals", "45", "65"),
    ("promotion_rate", "Grow our own leaders", "9", "12"),
    ("retention_rate", "Keep the people we develop", "90", "94"),
]
END_CATEGORIES = [
    ("schedule", 0.35),
    ("fit", 0.25),
    ("role_change", 0.15),
    ("goals_met", 0.1),
    ("other", 0.15),
]
END_REASONS = {
    "schedule": "We could not find a regular time that worked for both of us.",
    "fit": "We agreed another pairing would serve the mentee better.",
    "role_change": "A change of role made the pairing less useful.",
    "left": "One of us left the organization.",
    "goals_met": "The goals were met early.",
    "other": "Ended by mutual agreement.",
}
DECLINE_REASONS = {
    "declined": "Does not meet the program's eligibility rules.",
    "waitlisted": "Waiting for a mentor with capacity.",
}
GOALS = ["Lead a cross-team project", "Prepare for a promotion case", "Build a professional network"]
GOALS += ["Improve presentation skills", "Learn to delegate", "Plan the next career step", "Publish a paper"]
MILESTONES = [
    "Agree what success looks like",
    "First draft shared",
    "Feedback gathered",
    "Presented to peers",
]
USEFUL = ["Concrete advice on the next step.", "Practising the difficult conversation.", "An honest view."]
USEFUL += ["Introductions to the right people.", "Perspective from someone who has been there."]
TOPIC_SETS = [[topic] for topic in DEFAULT_SESSION_TOPICS]
TOPIC_SETS += [list(pair) for pair in itertools.combinations(DEFAULT_SESSION_TOPICS[:5], 2)]
EVIDENCE = {
    "informal_mentoring": "Has informally mentored several junior colleagues; two now lead teams.",
    "sought_out": "New managers ask for advice on hard conversations; people from other teams book time.",
    "sponsoring": "Recommended colleagues for stretch assignments and coached them through.",
    "communication": "Listens first and gives direct, kind feedback; calm under pressure.",
}
ENDORSEMENT_REASONS = list(EVIDENCE.values())
CRITERIA = [("Record of informal mentoring", 3), ("Sought out by others", 2), ("Sponsoring others", 2)]
CRITERIA += [("Communication", 1)]
EVENTS = [
    ("workshop", "The first meeting: agreements and expectations", True),
    ("case_discussion", "When a mentee asks for more than you can give", False),
    ("expert_lunch", "Career paths, with an expert", False),
    ("workshop", "Feedback that lands", False),
    ("leader_visit", "The chief executive on growing our own leaders", False),
    ("inclusion", "Mentoring across difference", True),
    ("case_discussion", "Sponsorship and mentoring: where one ends", False),
    ("graduation", "Graduation ceremony", False),
]
