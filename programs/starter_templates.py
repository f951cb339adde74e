"""Starter templates offered when an HR admin creates a program: plain data, no behaviour.

Each template holds the program's settings (``program``: Program field values), a suggested timeline
(``timeline``: days after creation for each date, adjusted by the admin later), a registration
questionnaire, key results (``due``: which program date they are due on) and playbook resources in
Markdown. ``programs.services.config.program_create`` turns one into a draft program; the test suite
checks every template against the same rules as the settings page.
"""

from __future__ import annotations

from typing import Any

# The first-meeting questions every template ships with (see the product issue on the playbook).
DEFAULT_FIRST_MEETING_QUESTIONS = [
    "Why did you decide to be a mentor?",
    "What are your goals for this relationship?",
    "How did you move into your current role?",
    "What challenges did you face there?",
    "What skills would be most useful for me to work on?",
]

FIRST_MEETING_RESOURCE: dict[str, Any] = {
    "kind": "first_meeting",
    "audience": "everyone",
    "title": "Questions for your first meeting",
    "body": (
        "Use the first meeting to get to know each other and agree how you will work together. "
        "Mentees, these questions help you start the conversation:\n\n"
        + "\n".join(f"- {question}" for question in DEFAULT_FIRST_MEETING_QUESTIONS)
        + "\n\nBefore you part, agree when and how you will meet next, and what you will each prepare."
    ),
}

MEETING_PREFERENCE_QUESTION: dict[str, Any] = {
    "mentor_text": "How do you prefer to meet?",
    "mentee_text": "How do you prefer to meet?",
    "help_text": "",
    "kind": "single",
    "choices": ["In person", "Video call", "Either"],
    "required": True,
    "match_rule": "same",
    "weight": 3,
    "hard": False,
}

AGREEMENT_GUIDE: dict[str, Any] = {
    "kind": "guide",
    "audience": "everyone",
    "title": "Making the most of the relationship",
    "body": (
        "## Agree the basics early\n\n"
        "- **How often** you meet, and for how long. Put the next date in the calendar before you part.\n"
        "- **What stays between you.** Conversations are confidential unless you both agree otherwise.\n"
        "- **Who drives.** The mentee owns the agenda; the mentor asks questions more than gives answers.\n\n"
        "## Keep it going\n\n"
        "- Log each session and rate it; it takes a minute and tells the coordinators things are well.\n"
        "- If it is not working, say so. Ending a pair is no-fault, and the coordinators will re-match you."
    ),
}

FIRST_TIME_MANAGERS: dict[str, Any] = {
    "name": "First-time managers",
    "summary": (
        "Pairs people in their first two years of managing with experienced managers from another "
        "department, to build the everyday skills of leading a team."
    ),
    "program": {
        "kind": "one_to_one",
        "purpose": "leadership_pipeline",
        "description": (
            "Moving from doing the work to leading the people who do it is one of the hardest steps in a "
            "career. This program pairs new managers with experienced managers from another department "
            "for a year of regular, confidential conversations about feedback, delegation, hiring and "
            "the other everyday skills of running a team."
        ),
        "meeting_cadence_days": 14,
        "checkin_cadence_months": 3,
        "default_mentor_capacity": 2,
        "max_mentor_capacity": 3,
        "mentors_per_mentee": 1,
        "matching_mode": "admin",
        "matching_priority": "best_scores",
        "min_match_score": 20,
        "weight_different_department": 6,
        "weight_different_division": 2,
        "weight_mentor_senior": 7,
        "weight_same_location": 3,
        "enrollment_approval": True,
        "manager_approval": True,
        "manager_approval_days": 7,
        "mentor_requirement": "trained",
    },
    "timeline": {
        "enrollment_opens_on": 14,
        "enrollment_closes_on": 42,
        "matching_on": 49,
        "starts_on": 63,
        "ends_on": 63 + 364,
    },
    "questions": [
        {
            "mentor_text": "Which management skills can you help with?",
            "mentee_text": "Which management skills do you most want to build?",
            "help_text": "Choose up to three.",
            "kind": "multi",
            "choices": [
                "Giving feedback",
                "Delegating",
                "Running one-to-ones",
                "Hiring",
                "Handling conflict",
                "Managing former peers",
                "Planning and priorities",
            ],
            "required": True,
            "match_rule": "overlap",
            "weight": 9,
            "hard": True,
        },
        {
            "mentor_text": "How many years have you managed people?",
            "mentee_text": "How many years have you managed people? (0 if less than one)",
            "help_text": "",
            "kind": "number",
            "choices": [],
            "required": True,
            "match_rule": "mentor_higher",
            "weight": 6,
            "hard": True,
        },
        {
            "mentor_text": "How confident are you giving difficult feedback?",
            "mentee_text": "How confident are you giving difficult feedback?",
            "help_text": "1 = not at all, 5 = completely.",
            "kind": "scale",
            "choices": [],
            "required": True,
            "match_rule": "mentor_higher",
            "weight": 4,
            "hard": False,
        },
        {
            "mentor_text": "How large is the team you manage?",
            "mentee_text": "How large is the team you manage?",
            "help_text": "",
            "kind": "single",
            "choices": ["1 to 3 people", "4 to 8 people", "9 to 15 people", "More than 15 people"],
            "required": True,
            "match_rule": "none",
            "weight": 0,
            "hard": False,
        },
        MEETING_PREFERENCE_QUESTION,
        {
            "mentor_text": "What would make this year a success for you as a mentor?",
            "mentee_text": "What would make this year a success for you?",
            "help_text": "A sentence or two.",
            "kind": "text",
            "choices": [],
            "required": False,
            "match_rule": "none",
            "weight": 0,
            "hard": False,
        },
    ],
    "key_results": [
        {
            "objective": "New managers stay with us",
            "metric": "retention_rate",
            "baseline": "82",
            "target": "90",
            "due": "ends_on",
        },
        {
            "objective": "Pairs find their sessions useful",
            "metric": "average_session_rating",
            "baseline": None,
            "target": "4.2",
            "due": "ends_on",
        },
        {
            "objective": "Mentees reach the goals they set",
            "metric": "goal_completion",
            "baseline": None,
            "target": "70",
            "due": "ends_on",
        },
    ],
    "resources": [
        FIRST_MEETING_RESOURCE,
        {
            "kind": "prompt",
            "audience": "everyone",
            "title": "Conversation prompts for new managers",
            "body": (
                "- Tell me about a conversation with someone in your team that you keep putting off.\n"
                "- What did you stop doing yourself when you became a manager? What should you stop next?\n"
                "- Who in your team would notice first if you were away for a month? What would go wrong?\n"
                "- How do you know whether your team is doing well, before the numbers say so?\n"
                "- What is the best feedback you ever received, and how was it given?"
            ),
        },
        {
            "kind": "goal_template",
            "audience": "mentees",
            "title": "Goal: hold a regular one-to-one with everyone in my team",
            "body": (
                "**Goal:** within three months, hold a 30-minute one-to-one with every person in my team "
                "every two weeks.\n\n"
                "**Milestones**\n\n"
                "1. Agree a simple agenda with my mentor (their topics first, then mine).\n"
                "2. Book the recurring meetings and tell the team why.\n"
                "3. After a month, ask two people what would make the meetings more useful.\n\n"
                "**How I will know:** no one-to-one cancelled twice in a row; the team raises problems early."
            ),
        },
        {
            "kind": "guide",
            "audience": "mentors",
            "title": "Mentoring a new manager",
            "body": (
                "New managers rarely lack ideas; they lack a safe place to think aloud. Ask before you "
                "advise: *What have you tried? What would you do if it could not fail?*\n\n"
                "Share your own early mistakes. It gives permission to talk about theirs.\n\n"
                "Never discuss named members of their team outside the relationship, and do not take "
                "problems to their manager for them: help them take the problem there themselves."
            ),
        },
        AGREEMENT_GUIDE,
    ],
}

WOMEN_IN_LEADERSHIP: dict[str, Any] = {
    "name": "Women in leadership",
    "summary": (
        "Supports women moving towards senior roles, paired with senior leaders from across the "
        "organization; Master Mentors are preferred."
    ),
    "program": {
        "kind": "one_to_one",
        "purpose": "diversity_inclusion",
        "description": (
            "Women remain under-represented in our senior roles. This program pairs women who aim for "
            "a senior role with senior leaders from other parts of the organization, for a year of "
            "conversations about leadership, visibility and career moves, and for sponsorship where it "
            "is earned. Anyone who identifies as a woman may apply as a mentee; senior leaders of any "
            "gender may apply as mentors."
        ),
        "meeting_cadence_days": 21,
        "checkin_cadence_months": 3,
        "default_mentor_capacity": 2,
        "max_mentor_capacity": 4,
        "mentors_per_mentee": 1,
        "matching_mode": "both",
        "matching_priority": "most_matched",
        "min_match_score": 25,
        "weight_different_department": 3,
        "weight_different_division": 5,
        "weight_mentor_senior": 8,
        "weight_same_location": 1,
        "enrollment_approval": True,
        "manager_approval": False,
        "manager_approval_days": 7,
        "mentor_requirement": "master_preferred",
        "weight_master_mentor": 4,
    },
    "timeline": {
        "enrollment_opens_on": 14,
        "enrollment_closes_on": 49,
        "matching_on": 56,
        "starts_on": 70,
        "ends_on": 70 + 364,
    },
    "questions": [
        {
            "mentor_text": "Which leadership areas can you advise on?",
            "mentee_text": "Which leadership areas do you want to grow in?",
            "help_text": "Choose all that apply.",
            "kind": "multi",
            "choices": [
                "Executive presence",
                "Negotiation",
                "Strategic thinking",
                "Building a network",
                "Leading change",
                "Career moves and promotions",
                "Balancing work and life",
            ],
            "required": True,
            "match_rule": "overlap",
            "weight": 9,
            "hard": True,
        },
        {
            "mentor_text": "Which of these career steps have you taken yourself?",
            "mentee_text": "Which career steps are you aiming for in the next few years?",
            "help_text": "",
            "kind": "multi",
            "choices": [
                "First team lead role",
                "Managing managers",
                "Director or head of department",
                "Executive role",
                "Senior specialist or expert track",
                "Moving to another division",
            ],
            "required": True,
            "match_rule": "overlap",
            "weight": 7,
            "hard": False,
        },
        {
            "mentor_text": "How many years have you held a leadership role?",
            "mentee_text": "How many years have you held a leadership role? (0 if none yet)",
            "help_text": "",
            "kind": "number",
            "choices": [],
            "required": True,
            "match_rule": "mentor_higher",
            "weight": 5,
            "hard": True,
        },
        {
            "mentor_text": "How comfortable are you speaking up in senior meetings?",
            "mentee_text": "How comfortable are you speaking up in senior meetings?",
            "help_text": "1 = not yet, 5 = completely.",
            "kind": "scale",
            "choices": [],
            "required": True,
            "match_rule": "mentor_higher",
            "weight": 3,
            "hard": False,
        },
        {
            "mentor_text": "How often can you meet?",
            "mentee_text": "How often would you like to meet?",
            "help_text": "",
            "kind": "single",
            "choices": ["Every week", "Every two weeks", "Every three weeks", "Every month"],
            "required": True,
            "match_rule": "same",
            "weight": 4,
            "hard": False,
        },
        {
            "mentor_text": "Is there anything your mentee should know about you?",
            "mentee_text": "Is there anything your mentor should know about you?",
            "help_text": "Optional.",
            "kind": "text",
            "choices": [],
            "required": False,
            "match_rule": "none",
            "weight": 0,
            "hard": False,
        },
    ],
    "key_results": [
        {
            "objective": "More women are promoted into senior roles",
            "metric": "promotion_rate",
            "baseline": "8",
            "target": "15",
            "due": "ends_on",
        },
        {
            "objective": "Talented women stay with us",
            "metric": "retention_rate",
            "baseline": "85",
            "target": "92",
            "due": "ends_on",
        },
        {
            "objective": "Everyone who applies gets a mentor",
            "metric": "match_rate",
            "baseline": None,
            "target": "90",
            "due": "starts_on",
        },
    ],
    "resources": [
        FIRST_MEETING_RESOURCE,
        {
            "kind": "prompt",
            "audience": "everyone",
            "title": "Conversation prompts on leadership and visibility",
            "body": (
                "- Which decision in the last month would you make differently, and what held you back?\n"
                "- Who decides on your next promotion? What do they know about your work today?\n"
                "- When did you last ask for something for yourself at work? What happened?\n"
                "- What does a good leader in this organization look like to you? Who fits that picture?\n"
                "- Which meeting would you like to be invited to a year from now?"
            ),
        },
        {
            "kind": "goal_template",
            "audience": "mentees",
            "title": "Goal: make my work visible to the people who decide",
            "body": (
                "**Goal:** within six months, present my team's results to the senior leadership group "
                "at least once.\n\n"
                "**Milestones**\n\n"
                "1. List the decision-makers for my next role with my mentor.\n"
                "2. Agree with my manager which result to present, and when.\n"
                "3. Rehearse with my mentor; ask for one piece of honest feedback afterwards.\n\n"
                "**How I will know:** I was invited to present, and someone senior followed up on it."
            ),
        },
        {
            "kind": "guide",
            "audience": "mentors",
            "title": "From mentor to sponsor",
            "body": (
                "A mentor advises; a sponsor uses their own standing to open doors. Both matter, and "
                "sponsorship is what most often turns into promotions.\n\n"
                "- Learn your mentee's work well enough to speak for it.\n"
                "- Name her for stretch assignments and in talent reviews, when she is ready.\n"
                "- Tell her when you did, so she can follow up.\n\n"
                "Sponsor only what you have seen; your recommendation is worth what your judgement is."
            ),
        },
        AGREEMENT_GUIDE,
    ],
}

REVERSE_DIGITAL: dict[str, Any] = {
    "name": "Reverse mentoring on digital skills",
    "summary": (
        "Digitally fluent employees mentor senior leaders on new tools and ways of working, and learn "
        "how the business is run in return."
    ),
    "program": {
        "kind": "reverse",
        "purpose": "culture",
        "description": (
            "Our leaders decide on technology they rarely use themselves, and our digitally fluent "
            "colleagues rarely see how those decisions are made. In this program junior colleagues "
            "mentor senior leaders on digital tools and habits for six months, and both learn from "
            "the other's view of the organization."
        ),
        "meeting_cadence_days": 14,
        "checkin_cadence_months": 3,
        "default_mentor_capacity": 1,
        "max_mentor_capacity": 2,
        "mentors_per_mentee": 1,
        "matching_mode": "admin",
        "matching_priority": "most_matched",
        "min_match_score": 10,
        "weight_different_department": 5,
        "weight_different_division": 3,
        "weight_mentor_senior": 6,
        "weight_same_location": 3,
        "enrollment_approval": True,
        "manager_approval": False,
        "manager_approval_days": 7,
        "mentor_requirement": "none",
    },
    "timeline": {
        "enrollment_opens_on": 7,
        "enrollment_closes_on": 35,
        "matching_on": 42,
        "starts_on": 56,
        "ends_on": 56 + 182,
    },
    "questions": [
        {
            "mentor_text": "Which digital skills can you teach?",
            "mentee_text": "Which digital skills do you want to learn?",
            "help_text": "Choose all that apply.",
            "kind": "multi",
            "choices": [
                "Generative AI tools",
                "Collaboration tools",
                "Social media",
                "Data and dashboards",
                "Safe habits online",
                "Automating routine work",
                "Mobile apps",
            ],
            "required": True,
            "match_rule": "overlap",
            "weight": 10,
            "hard": True,
        },
        {
            "mentor_text": "How confident are you with new digital tools?",
            "mentee_text": "How confident are you with new digital tools?",
            "help_text": "1 = I avoid them, 5 = I try every new one.",
            "kind": "scale",
            "choices": [],
            "required": True,
            "match_rule": "mentor_higher",
            "weight": 6,
            "hard": False,
        },
        {
            "mentor_text": "Which parts of the business would you like to understand better?",
            "mentee_text": "Which parts of the business could you explain to your mentor?",
            "help_text": "",
            "kind": "multi",
            "choices": [
                "Strategy and priorities",
                "Budgets and finance",
                "How decisions are made",
                "Customers and markets",
                "Leading large teams",
            ],
            "required": False,
            "match_rule": "overlap",
            "weight": 3,
            "hard": False,
        },
        {
            "mentor_text": "How much time can you give each month?",
            "mentee_text": "How much time can you give each month?",
            "help_text": "",
            "kind": "single",
            "choices": ["1 hour", "2 hours", "4 hours or more"],
            "required": True,
            "match_rule": "same",
            "weight": 2,
            "hard": False,
        },
        MEETING_PREFERENCE_QUESTION,
        {
            "mentor_text": "What would you like your mentee to be able to do after six months?",
            "mentee_text": "What would you like to be able to do after six months?",
            "help_text": "",
            "kind": "text",
            "choices": [],
            "required": False,
            "match_rule": "none",
            "weight": 0,
            "hard": False,
        },
    ],
    "key_results": [
        {
            "objective": "Senior leaders take part",
            "metric": "participation_rate",
            "baseline": None,
            "target": "70",
            "due": "starts_on",
        },
        {
            "objective": "Pairs meet regularly",
            "metric": "sessions_per_pair_month",
            "baseline": None,
            "target": "2",
            "due": "ends_on",
        },
        {
            "objective": "Both sides find it worthwhile",
            "metric": "average_session_rating",
            "baseline": None,
            "target": "4.3",
            "due": "ends_on",
        },
    ],
    "resources": [
        FIRST_MEETING_RESOURCE,
        {
            "kind": "prompt",
            "audience": "everyone",
            "title": "Conversation prompts for reverse mentoring",
            "body": (
                "- Show me what you did on your phone or laptop before this meeting. What was slow?\n"
                "- Which tool do your teams use that you have never opened? Let us open it together.\n"
                "- What did you read about technology this month that you did not believe?\n"
                "- Mentors: what do you wish leaders knew about how your generation works?\n"
                "- Mentees: which decision would you explain differently, now that you know this?"
            ),
        },
        {
            "kind": "goal_template",
            "audience": "mentees",
            "title": "Goal: use one new tool every week for a month",
            "body": (
                "**Goal:** in the next month, use one tool my teams rely on for a real piece of my own "
                "work every week.\n\n"
                "**Milestones**\n\n"
                "1. Pick the tool with my mentor, and one task to do with it.\n"
                "2. Do the task; note where I got stuck.\n"
                "3. Show the result to my mentor and to one person in my team.\n\n"
                "**How I will know:** I use the tool without help, and I can explain why my teams use it."
            ),
        },
        {
            "kind": "guide",
            "audience": "mentors",
            "title": "Mentoring someone more senior than you",
            "body": (
                "You were chosen because you know something your mentee does not. You do not need to "
                "know everything else.\n\n"
                "- Teach by doing: hand over the keyboard and let them try.\n"
                "- Ask about their work too; the exchange is the point.\n"
                '- Agree at the start that you can say "that is not how it works" without ceremony.\n\n'
                "What you discuss stays between you. Your mentee is not your manager in these meetings."
            ),
        },
        AGREEMENT_GUIDE,
    ],
}

STARTER_TEMPLATES: dict[str, dict[str, Any]] = {
    "first-time-managers": FIRST_TIME_MANAGERS,
    "women-in-leadership": WOMEN_IN_LEADERSHIP,
    "reverse-digital-skills": REVERSE_DIGITAL,
}
