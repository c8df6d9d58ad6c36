"""The closed list of leadership themes the programme maintains.

Mentees pick the themes they want to develop, mentors the themes they offer: one vocabulary, so
matching can compare the two. Codes are stable; labels may change. Free text stays beside them.
"""

from __future__ import annotations

from typing import Literal, get_args

Theme = Literal[
    "strategy",
    "change_management",
    "personal_leadership",
    "leading_leaders",
    "first_time_manager",
    "team_development",
    "communication",
    "conflict_handling",
    "decision_making",
    "stakeholder_management",
    "innovation",
    "digital_transformation",
    "diversity_inclusion",
    "career_development",
    "work_life_balance",
    "cross_cultural_leadership",
]

THEMES: tuple[str, ...] = get_args(Theme)

LABELS: dict[str, str] = {
    "strategy": "Strategy and direction",
    "change_management": "Leading change",
    "personal_leadership": "Personal leadership",
    "leading_leaders": "Leading other leaders",
    "first_time_manager": "New in a leadership role",
    "team_development": "Developing a team",
    "communication": "Communication and presence",
    "conflict_handling": "Handling conflict",
    "decision_making": "Decisions under uncertainty",
    "stakeholder_management": "Stakeholders and influence",
    "innovation": "Innovation",
    "digital_transformation": "Digital transformation",
    "diversity_inclusion": "Diversity and inclusion",
    "career_development": "Career development",
    "work_life_balance": "Work-life balance and energy",
    "cross_cultural_leadership": "Leading across cultures",
}
