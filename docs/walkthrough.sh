#!/usr/bin/env bash
# The README's walkthrough ("The four services"), runnable top to bottom against `python3 dev.py run`:
#
#   bash docs/walkthrough.sh
#
# Two partner companies register their leaders into a cohort, staff match across companies (with a pin)
# and approve, a pair logs a session, records its agreement and answers an evaluation, then ends, a
# participant leaves, and the dashboards say so.
# Every step checks its answer (HTTP status and a field); the first failure stops the script, saying what
# failed. Ports and the staff token follow the stack's MENTORNET_* variables (defaults: 8001-8004).
# The README shows the same commands: tests/newcomer/test_walkthrough.py keeps the two in step.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." # the repository: docs/people.csv is read from here

# --- the helpers ---
call() { # call STATUS CURL-ARGS...: the answer's body in $ANSWER; says what failed unless the status is STATUS
  local want=$1 out
  shift
  out=$(curl -sS -w '\n%{http_code}' "$@") || { echo "FAILED: curl $* (is python3 dev.py run running?)" >&2; return 1; }
  ANSWER=${out%$'\n'*} STATUS=${out##*$'\n'}
  [ "$STATUS" = "$want" ] || { echo "FAILED: curl $*: answered $STATUS, expected $want: $ANSWER" >&2; return 1; }
  local arg
  for arg in "$@"; do if [[ $arg == http* ]]; then echo "$STATUS $arg" >&2; fi; done
}
field() { # field EXPR: a value from the last answer, `a` being its JSON, e.g. field 'a["company_id"]'
  python3 -c 'import json, sys
a = json.load(sys.stdin)
try:
    v = eval(sys.argv[1], {"a": a})
except Exception as error:
    sys.exit(f"FAILED: no {sys.argv[1]} ({error!r}) in {json.dumps(a)[:2000]}")
print(v if isinstance(v, str) else json.dumps(v))' "$1" <<<"$ANSWER"
}
check() { # check EXPR: fails unless EXPR holds for the last answer, e.g. check 'a["accepted"] == 3'
  [ "$(field "$1")" = true ] || { echo "FAILED: expected $1 in: ${ANSWER:0:2000}" >&2; return 1; }
}
eventually() { # eventually COMMAND...: retry for up to a minute (the services learn from each other's events)
  for _ in $(seq 60); do if "$@" 2>/dev/null; then echo "ok: $*" >&2; return 0; fi; sleep 1; done
  "$@"
}
day() { # day N: the date N days from today, in the programme's time zone (where sessions reads dates)
  python3 -c 'import datetime, sys, zoneinfo
today = datetime.datetime.now(zoneinfo.ZoneInfo(sys.argv[2])).date()
print(today + datetime.timedelta(days=int(sys.argv[1])))' "$1" "${MENTORNET_PROGRAMME_TIMEZONE:-Europe/Copenhagen}"
}

# --- where everything is ---
STAFF="Authorization: Bearer ${MENTORNET_ADMIN_TOKEN:-change-me-admin-token}"
I=http://127.0.0.1:${MENTORNET_INTAKE_PORT:-8001} M=http://127.0.0.1:${MENTORNET_MATCHING_PORT:-8002}
S=http://127.0.0.1:${MENTORNET_SESSIONS_PORT:-8003} R=http://127.0.0.1:${MENTORNET_REPORTING_PORT:-8004}
TODAY=$(day 0)
TAG=$(date +%H%M%S) # company and cohort names are unique: the tag lets the walkthrough run again

# --- intake: two partner companies, their keys, a cohort open now, their people ---
call 201 -X POST $I/v1/companies -H "$STAFF" -H 'Content-Type: application/json' \
  -d '{"name": "Nordvind Energi '$TAG'", "hr_contact_name": "Lone Holm", "hr_contact_email": "loho@nordvind.example"}'
COMPANY=$(field 'a["company_id"]')
call 201 -X POST $I/v1/companies/$COMPANY/api-keys -H "$STAFF" -H 'Content-Type: application/json' -d '{"label": "HR system"}'
KEY="Authorization: Bearer $(field 'a["api_key"]')" # shown once: intake keeps only its hash
call 201 -X POST $I/v1/companies -H "$STAFF" -H 'Content-Type: application/json' \
  -d '{"name": "Fjordbank '$TAG'", "hr_contact_name": "Per Dahl", "hr_contact_email": "pd@fjordbank.example"}'
COMPANY2=$(field 'a["company_id"]')
call 201 -X POST $I/v1/companies/$COMPANY2/api-keys -H "$STAFF" -H 'Content-Type: application/json' -d '{"label": "HR"}'
KEY2="Authorization: Bearer $(field 'a["api_key"]')"
call 201 -X POST $I/v1/cohorts -H "$STAFF" -H 'Content-Type: application/json' \
  -d '{"name": "Walkthrough '$TAG'", "intake_opens_on": "'$(day -30)'", "intake_closes_on": "'$(day 60)'"}'
COHORT=$(field 'a["cohort_id"]')

call 201 -X POST $I/v1/participants -H "$KEY" -H 'Idempotency-Key: reg-10442' -H 'Content-Type: application/json' -d '{
  "cohort_id": "'$COHORT'", "role": "mentee", "external_ref": "HR-10442", "name": "Mette Jensen",
  "email": "mette.jensen@nordvind.example", "job_title": "Team Lead", "leadership_level": 1, "years_experience": 3,
  "industry": "energy", "function": "customer_service", "languages": ["da", "en"], "region": "midtjylland",
  "meeting_preference": "either", "themes": ["first_time_manager", "conflict_handling"],
  "expectations": "A sparring partner who has led a team through a reorganisation.", "consent": true}'
P=$(field 'a["participant_id"]')
call 200 -X POST "$I/v1/cohorts/$COHORT/imports?dry_run=true" -H "$KEY" -H 'Content-Type: text/csv' --data-binary @docs/people.csv
check 'a["dry_run"] and a["accepted"] == 3' # every row checked, nothing written
call 200 -X POST "$I/v1/cohorts/$COHORT/imports" -H "$KEY" -H 'Content-Type: text/csv' --data-binary @docs/people.csv
check 'a["accepted"] == 3 and a["rejected"] == 0'
call 201 -X POST $I/v1/participants -H "$KEY2" -H 'Content-Type: application/json' -d '{
  "cohort_id": "'$COHORT'", "role": "mentor", "capacity": 2, "name": "Dorte Friis",
  "email": "dorte.friis@fjordbank.example", "job_title": "Director", "leadership_level": 4, "years_experience": 15,
  "industry": "finance", "function": "operations", "languages": ["da", "en"], "region": "hovedstaden",
  "meeting_preference": "either", "themes": ["first_time_manager", "communication"],
  "expectations": "Fifteen years of leading teams through change.", "consent": true}'
MENTOR=$(field 'a["participant_id"]')

# --- matching: three mentees of one company, mentors in both; only Fjordbank's can take them ---
pool_is_in() { call 200 -H "$STAFF" $M/v1/cohorts/$COHORT && check 'a["mentees"] == 3 and a["mentors"] == 2'; }
eventually pool_is_in # matching learns the people from intake's events
call 201 -X POST $M/v1/cohorts/$COHORT/runs -H "$STAFF" # proposals with explanations
check 'len(a["proposals"]) == 2 and len(a["unmatched"]) == 1' # Jens has room, but is Nordvind's too
call 201 -X POST $M/v1/cohorts/$COHORT/pins -H "$STAFF" -H 'Content-Type: application/json' \
  -d '{"mentee_id": "'$P'", "mentor_id": "'$MENTOR'"}'
call 201 -X POST $M/v1/cohorts/$COHORT/runs -H "$STAFF" # run again with the pin
check 'any(p["mentee_id"] == "'$P'" and p["mentor_id"] == "'$MENTOR'" and p["pinned"] for p in a["proposals"])'
RUN=$(field 'a["run_id"]')
WAITING=$(field 'a["unmatched"][0]["mentee_id"]')
call 200 -X POST $M/v1/runs/$RUN/approve -H "$STAFF" # one PairMatched per pair
check 'a["newly_matched"] == 2'
PAIR=$(field 'next(p["pair_id"] for p in a["pairs"] if p["mentee_id"] == "'$P'")')

# --- sessions: the pair's members get tokens and log a session (on or after the match day, not ahead) ---
tokens() { call 201 -X POST $S/v1/pairs/$PAIR/tokens -H "$STAFF"; }
eventually tokens # 409 until sessions has read the PairMatched; the two tokens are shown once
MEMBER="Authorization: Bearer $(field 'next(t["token"] for t in a["tokens"] if t["role"] == "mentee")')"
call 201 -X POST $S/v1/pairs/$PAIR/sessions -H "$MEMBER" -H 'Content-Type: application/json' -d '{
  "held_on": "'$TODAY'", "start_time": "00:00", "duration_minutes": 90, "format": "in_person",
  "tools": ["coaching", "sharing_experience"], "rating": 5, "notes": "Only the two of us can read this."}'
check 'a["held_on"] == "'$TODAY'" and a["version"] == 1'
call 200 $S/v1/pairs/$PAIR/sessions -H "$MEMBER" # with notes, for members only
check 'a[0]["notes"] == "Only the two of us can read this."'

# --- the programme year: the timeline, the pair's agreement, an evaluation answered, reporting's year ---
call 200 -X PATCH $I/v1/cohorts/$COHORT -H "$STAFF" -H 'Content-Type: application/json' \
  -d '{"kickoff_on": "'$(day -7)'", "midpoint_on": "'$(day 90)'", "closing_on": "'$(day 200)'"}'
check 'a["kickoff_on"] == "'$(day -7)'"'
call 200 -X PUT $S/v1/pairs/$PAIR/agreement -H "$MEMBER" -H 'Content-Type: application/json' \
  -d '{"frequency": "monthly", "terms": "Harbour café, first Monday", "confidentiality_confirmed": true}'
check 'a["confirmed_by_mentee"] and not a["confirmed_by_mentor"]' # the mentor confirms from their own page
call 201 -X POST $S/v1/cohorts/$COHORT/evaluations -H "$STAFF" -H 'Content-Type: application/json' \
  -d '{"kind": "midpoint", "opens_on": "'$TODAY'", "closes_on": "'$(day 14)'"}'
EVALUATION=$(field 'a["evaluation_id"]')
call 201 -X POST $S/v1/pairs/$PAIR/evaluations/$EVALUATION/answer -H "$MEMBER" -H 'Content-Type: application/json' -d '{
  "scores": {"expectations_met": 5, "learning": 4, "openness": 5, "programme": 4}, "gave": "Courage to delegate",
  "quote": "A view from outside changed how I lead.", "quote_consent": true}' # only the scores travel; the quote sealed
year_is_in() {
  call 200 -H "$STAFF" $R/api/programme/cohorts/$COHORT/year &&
    check '(a["agreements"]["with_agreement"] == 1 and a["evaluations"][0]["roles"]["mentee"]["answered"] == 1
      and [(q["quote"], q["signed"][:7]) for q in a["quotes"]] == [("A view from outside changed how I lead.", "Mentee ")])'
}
eventually year_is_in # reporting's year view: response rates, averages, the quote signed by role and year only

# --- the pair ends after its session; the mentee nobody could take leaves the company ---
call 200 -X POST $M/v1/pairs/$PAIR/end -H "$STAFF" -H 'Content-Type: application/json' \
  -d '{"reason": "no chemistry", "do_not_rematch": true, "ended_on": "'$TODAY'"}' # PairEnded; mentee back in the pool
check 'a["ended_on"] == "'$TODAY'"'
call 200 -X POST $I/v1/participants/$WAITING/withdrawal -H "$KEY" -H 'Content-Type: application/json' -d '{"reason": "left_company"}'
check 'a["status"] == "withdrawn"'

# --- reporting: what staff and a partner company see ---
echo "dashboard: $R/dashboard (sign in with the staff token or a company key)"
report_is_in() {
  call 200 -H "$STAFF" $R/api/programme/cohorts/$COHORT &&
    check '{r["figure"]: r["value"] for r in a["tables"]["summary"]["rows"]}.items() >= {"companies": 2,
      "mentees": 2, "mentors": 2, "withdrawn": 1, "pairs": 2, "ended_pairs": 1, "sessions": 1, "hours": 1.5}.items()'
}
eventually report_is_in # staff report (JSON), once reporting has read every event
call 200 -H "$STAFF" -o "${TMPDIR:-/tmp}/at_risk.csv" $R/api/programme/cohorts/$COHORT/tables/at_risk.csv
call 200 -H "$KEY" $R/api/company/cohorts/$COHORT # a company's own view: its people only, counts below 3 as "<3"
check '{r["figure"]: r["value"] for r in a["tables"]["summary"]["rows"]}["participants"] == 3'
call 200 -X POST -H "$STAFF" $R/api/rebuild # rebuild while it runs
check 'a["applied"] > 0 and a["dead_lettered"] == 0'
echo "walkthrough done: cohort $COHORT"
