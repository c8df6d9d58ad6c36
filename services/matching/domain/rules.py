"""The hard rules, vectorised: a pair that breaks one is never proposed, whatever its score.

Every function takes mentee positions `i` and mentor positions `j` that broadcast against each other:
a column and a row give a block of the cohort's matrix, two equal-length vectors give single pairs.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from services.matching.domain.encoding import Encoded
from services.matching.domain.side import IN_PERSON

RuleMask = Callable[[Encoded, np.ndarray, np.ndarray], np.ndarray]


def other_company(enc: Encoded, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    return enc.mentees.company[i] != enc.mentors.company[j]


def no_avoided_company(enc: Encoded, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Neither side's company is on the other's must-not-pair list."""
    ok = np.ones(np.broadcast_shapes(np.shape(i), np.shape(j)), dtype=bool)
    if enc.mentees.avoid is not None:
        ok &= ~enc.mentees.avoid[i, enc.mentors.company[j]]
    if enc.mentors.avoid is not None:
        ok &= ~enc.mentors.avoid[j, enc.mentees.company[i]]
    return ok


def shared_language(enc: Encoded, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    shared = np.zeros(np.broadcast_shapes(np.shape(i), np.shape(j)), dtype=bool)
    for mentee_word, mentor_word in zip(enc.mentees.languages, enc.mentors.languages, strict=False):
        shared |= (mentee_word[i] & mentor_word[j]) != 0
    return shared


def in_person_same_region(enc: Encoded, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Two people who both meet only in person must live in the same region."""
    both_in_person = (enc.mentees.meeting[i] == IN_PERSON) & (enc.mentors.meeting[j] == IN_PERSON)
    return ~both_in_person | (enc.mentees.region[i] == enc.mentors.region[j])


PAIR_RULES: dict[str, RuleMask] = {
    "same_company": other_company,
    "avoided_company": no_avoided_company,
    "no_shared_language": shared_language,
    "in_person_other_region": in_person_same_region,
}
"""Rules about the two people themselves, named by what breaking them means."""


def pair_rules_hold(enc: Encoded, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    ok = other_company(enc, i, j)
    for rule in (no_avoided_company, shared_language, in_person_same_region):
        ok &= rule(enc, i, j)
    return ok


def feasible_block(enc: Encoded, rows: np.ndarray) -> np.ndarray:
    """Which mentors each mentee in `rows` may be paired with: every hard rule, capacity included.

    The same rules as pair_rules_hold, arranged for speed on a block: the rare rules (must-not-pair
    lists, in-person only, staff decisions) touch only the rows and columns they concern.
    """
    e, r = enc.mentees, enc.mentors
    ok = e.company[rows][:, None] != r.company[None, :]
    ok &= (r.capacity > 0)[None, :]
    shared = np.zeros(ok.shape, dtype=bool)
    for mentee_word, mentor_word in zip(e.languages, r.languages, strict=False):
        shared |= (mentee_word[rows][:, None] & mentor_word[None, :]) != 0
    ok &= shared
    in_person = np.nonzero(e.meeting[rows] == IN_PERSON)[0]
    if len(in_person):
        mentor_in_person = r.meeting == IN_PERSON
        other_region = r.region[None, :] != e.region[rows[in_person]][:, None]
        ok[in_person] &= ~(mentor_in_person[None, :] & other_region)
    if e.avoid is not None:
        for local in np.nonzero(e.avoid[rows].any(axis=1))[0]:
            ok[local] &= ~e.avoid[rows[local]][r.company]
    if r.avoid is not None:
        avoiding = np.nonzero(r.avoid.any(axis=1))[0]
        ok[:, avoiding] &= ~r.avoid[avoiding][:, e.company[rows]].T
    for row, mentee in enumerate(rows.tolist()):
        blocked = enc.blocked.get(mentee)
        if blocked is not None:
            ok[row, blocked] = False
    return ok


def blocked_pairs(enc: Encoded, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """For single pairs: which were excluded by staff or ended with "do not match again"."""
    out = np.zeros(len(i), dtype=bool)
    for k, (mentee, mentor) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):
        blocked = enc.blocked.get(mentee)
        out[k] = blocked is not None and mentor in blocked
    return out


def broken_rules(enc: Encoded, mentee: int, mentor: int) -> list[str]:
    """The names of the hard rules pair (mentee, mentor) breaks, capacity and staff decisions included."""
    i, j = np.array([mentee]), np.array([mentor])
    broken = [name for name, rule in PAIR_RULES.items() if not rule(enc, i, j)[0]]
    if blocked_pairs(enc, i, j)[0]:
        broken.append("excluded")
    if enc.mentors.capacity[mentor] <= 0:
        broken.append("no_free_capacity")
    return broken
