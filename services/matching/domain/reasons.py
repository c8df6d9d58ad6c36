"""Why a mentee is left unmatched, said in the coordinator's words.

The hard rules are applied one at a time to the mentors with free capacity; the first rule that leaves
nobody is the reason. If someone fits, their capacity went to other mentees.
"""

from __future__ import annotations

import numpy as np

from services.matching.domain.encoding import Encoded
from services.matching.domain.model import Unmatched
from services.matching.domain.rules import (
    in_person_same_region,
    no_avoided_company,
    other_company,
    shared_language,
)
from services.matching.domain.side import IN_PERSON


def _mentors(count: int) -> str:
    return f"{count} mentor{'s' if count != 1 else ''}"


def why_unmatched(enc: Encoded, mentee: int, left: np.ndarray, *, exact: bool) -> Unmatched:
    """`left` is each mentor's capacity still free after the result was chosen."""
    mentee_id = enc.mentees.ids[mentee]
    if len(enc.mentors) == 0:
        return Unmatched(mentee_id, "the cohort has no mentors yet", "no_mentors")
    i = np.array([mentee])[:, None]
    j = np.arange(len(enc.mentors))[None, :]
    fits = (enc.mentors.capacity > 0)[None, :]
    if not fits.any():
        return Unmatched(mentee_id, "no mentor has free capacity", "no_free_capacity")
    fits = fits & other_company(enc, i, j)
    if not fits.any():
        return Unmatched(
            mentee_id, "every mentor with free capacity works in the mentee's own company", "same_company"
        )
    fits = fits & no_avoided_company(enc, i, j)
    if not fits.any():
        return Unmatched(
            mentee_id,
            "every mentor with free capacity from another company is ruled out by a must-not-pair list",
            "avoided_company",
        )
    fits = fits & shared_language(enc, i, j)
    if not fits.any():
        return Unmatched(mentee_id, "no mentor with free capacity shares a language", "no_shared_language")
    fits = fits & in_person_same_region(enc, i, j)
    if not fits.any():
        assert enc.mentees.meeting[mentee] == IN_PERSON
        return Unmatched(
            mentee_id,
            "the mentee meets only in person, and every mentor with free capacity who shares a language"
            " also meets only in person, in another region",
            "in_person_other_region",
        )
    fits = fits[0]
    blocked = enc.blocked.get(mentee)
    if blocked is not None:
        fits[blocked] = False
    if not fits.any():
        return Unmatched(
            mentee_id,
            "every mentor who fits was excluded by staff or ended a pair with this mentee as"
            " 'do not match again'",
            "excluded",
        )
    still_free = int((fits & (left > 0)).sum())
    if still_free and not exact:
        return Unmatched(
            mentee_id,
            f"{_mentors(still_free)} who fit still have free capacity, but the large-cohort solver did"
            " not reach this mentee; pin a pair or re-run",
            "solver_limit",
        )
    return Unmatched(
        mentee_id,
        f"the {_mentors(int(fits.sum()))} who fit are full: giving their places to other mentees"
        " matches more mentees or gives a better total across the cohort",
        "capacity_taken",
    )
