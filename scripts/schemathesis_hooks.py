"""schemathesis hooks for scripts/schemathesis (SCHEMATHESIS_HOOKS).

Some operations succeed only with what a generator cannot know: an emailed
OTP, a real JPEG, a refresh token, the current version in If-Match, a free
window, the NTPN of a payment. For those, the first call and every fifth
after it carry the real values from the fixtures
(scripts/schemathesis_fixtures.py, the file in MPASPOR_FIXTURES); every
other call is sent as generated, so the bodies are still fuzzed.
"""

import json
import os
import urllib.error
import urllib.request
from collections import Counter

import schemathesis

FIXTURES = json.load(open(os.environ["MPASPOR_FIXTURES"]))
API, TOKEN = os.environ["MPASPOR_API"], os.environ["MPASPOR_TOKEN"]
EVERY = 5
calls = Counter()


def current_version(path):
    """The version the server holds now (an earlier call may have moved it, or deleted it)."""
    req = urllib.request.Request(API + path)
    req.add_header("Authorization", f"Bearer {TOKEN}")
    try:
        with urllib.request.urlopen(req) as answer:
            return str(json.load(answer)["version"])
    except urllib.error.HTTPError:
        return "1"


def on(case, body=None, media_type=None, **path):
    case.path_parameters = dict(case.path_parameters or {}, **path)
    if body is not None:
        case.body = body
    if media_type:
        case.media_type = media_type


def verify(case):
    on(case, FIXTURES["verify"])


def reset_confirm(case):
    on(case, dict(FIXTURES["reset"], new_password="lebih-aman-456"))


def refresh(case):
    on(case, {"refresh_token": FIXTURES["refresh_token"]})


def update_draft(case):
    draft = FIXTURES["plain"]["id"]
    on(case, {"applicant_id": FIXTURES["holder"], "service": "reguler", "purpose": "tourism"}, id=draft)
    case.headers = dict(case.headers or {}, **{"If-Match": current_version(f"/v1/applications/{draft}")})


def update_family_member(case):
    family = FIXTURES["family"]
    on(case, dict(family["input"], full_name="Putri Ayu Lestari"), id=family["id"])
    case.headers = dict(case.headers or {}, **{"If-Match": current_version(f"/v1/applicants/{family['id']}")})


def upload(case):
    on(case, bytes.fromhex(FIXTURES["jpeg"]), "image/jpeg", id=FIXTURES["plain"]["id"], kind="ektp")


def submit(case):
    on(case, {"slot_id": FIXTURES["slot"], "declaration_accepted": True}, id=FIXTURES["to_submit"])


def of_the_paid_one(case):
    on(case, id=FIXTURES["paid"])


def reschedule(case):
    on(case, {"slot_id": FIXTURES["reschedule_to"]}, id=FIXTURES["paid"])


def confirm(case):
    on(case, {"ntpn": FIXTURES["ntpn"]}, id=FIXTURES["pending"])


def journaled(case):
    """A request the journal still keeps the content of: a recent /v1 one."""
    req = urllib.request.Request(API + "/tester/requests?limit=50")
    req.add_header("X-Tester-Token", os.environ["MPASPOR_TESTER_TOKEN"])
    with urllib.request.urlopen(req) as answer:
        items = json.load(answer)["items"]
    found = next((e["id"] for e in items if e["path"].startswith("/v1/")), 1)
    on(case, id=found)


def ask_correction(case):
    on(case, {"document": "ektp", "reason": "Foto buram"}, id=FIXTURES["paid"])


def watch(case):
    on(case, FIXTURES["watch"])


def unwatch(case):
    on(case, id=FIXTURES["watched"])


REAL = {
    ("POST", "/v1/accounts/verify"): verify,
    ("POST", "/v1/accounts/password-reset/confirm"): reset_confirm,
    ("POST", "/v1/sessions/refresh"): refresh,
    ("PUT", "/v1/applications/{id}"): update_draft,
    ("PUT", "/v1/applicants/{id}"): update_family_member,
    ("PUT", "/v1/applications/{id}/documents/{kind}"): upload,
    ("POST", "/v1/applications/{id}/submit"): submit,
    ("GET", "/v1/applications/{id}/payment"): of_the_paid_one,
    ("GET", "/v1/applications/{id}/receipt"): of_the_paid_one,
    ("POST", "/v1/applications/{id}/reschedule"): reschedule,
    ("POST", "/v1/applications/{id}/payment/confirm"): confirm,
    ("POST", "/v1/watches"): watch,
    ("DELETE", "/v1/watches/{id}"): unwatch,
    ("POST", "/tester/applications/{id}/corrections"): ask_correction,
    ("POST", "/tester/applications/{id}/check-in"): of_the_paid_one,
    ("GET", "/tester/requests/{id}"): journaled,
}


@schemathesis.hook
def before_call(ctx, case, kwargs):
    key = (case.operation.method.upper(), case.operation.path)
    if key == ("GET", "/v1/events") and isinstance(case.query, dict):
        # The feed holds a request open up to `wait` seconds: a second at most
        # here, so a run's minutes go to every route.
        wait = case.query.get("wait")
        if not isinstance(wait, int) or wait > 1:
            case.query = dict(case.query, wait=1)
    if key not in REAL:
        return
    calls[key] += 1
    if calls[key] % EVERY == 1:
        REAL[key](case)
