"""Builds, through the mock's own API, the state that lets every operation
reach a 2xx in scripts/schemathesis, and prints it as JSON for the hooks
(scripts/schemathesis_hooks.py).

Usage: python3 scripts/schemathesis_fixtures.py API ACCESS_TOKEN

Made here, on Dewi's account (the `expired_passport` scenario):
- a family member (Putri), whose record can be updated and deleted;
- a plain draft for Dewi, the target of the other draft routes;
- a complete draft for Dewi with its documents: ready to submit;
- Rudi's application, submitted and paid for a late window: payment,
  receipt, reschedule, a correction asked by the office, the check-in;
- Sari's, submitted and paid at the treasury, immigration not told:
  the NTPN to confirm (Rudi and Sari are added to the registry on Dewi's
  family card: an account files only for the people on its holder's KK);
- a second session's refresh token;
- an account waiting for its email OTP, and one with a password-reset OTP.
One person has one application in progress at a time, hence three people.
"""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

API, TOKEN = sys.argv[1], sys.argv[2]
PASSWORD = "paspor-baru-2026"
OFFICE = "kanim-jakarta-selatan"

# Registry samples (crates/mock-server/src/registry.rs): NIK, name, place,
# birth date, sex, marital status, mother.
DEWI = ("3578017011880005", "Dewi Lestari", "Surabaya", "1988-11-30", "female", "single", "Kartini")
RUDI = ("3578011204850007", "Rudi Lestari", "Surabaya", "1985-04-12", "male", "married", "Kartini")
SARI = ("3578014309910008", "Sari Lestari", "Surabaya", "1991-09-03", "female", "single", "Kartini")
DEWI_CARD = "3578010101200005"  # Dewi's family card (KK) in the registry


def call(method, path, body=None, token=TOKEN, media="application/json"):
    data = body if isinstance(body, bytes) else None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(API + path, data=data, method=method)
    if path.startswith("/tester/"):
        req.add_header("X-Tester-Token", os.environ["MPASPOR_TESTER_TOKEN"])
    if data is not None:
        req.add_header("Content-Type", media)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req) as answer:
            text = answer.read()
    except urllib.error.HTTPError as e:
        sys.exit(f"fixtures: {method} {path} answered {e.code}: {e.read().decode()}")
    return json.loads(text) if text else None


def otp_for(email):
    return call("GET", f"/tester/outbox?email={email}", token=None)["items"][0]["otp"]


def free_slots(office):
    days = call("GET", f"/v1/offices/{office}/slots?days=30")["days"]
    return [s["id"] for d in days for s in d["slots"] if s["left"] > 0]


def draft(applicant_id, person):
    nik, name, place, birth, sex, marital, mother = person
    return {
        "applicant_id": applicant_id, "service": "reguler", "applicant_kind": "adult",
        "office_id": OFFICE, "passport_type": "elektronik", "validity": "10y", "purpose": "tourism",
        "personal": {
            "nik": nik, "full_name": name, "sex": sex, "birth_place": place, "birth_date": birth,
            "address": "Jl. Merdeka No. 1", "marital_status": marital, "occupation": "Karyawan swasta",
            "phone": "081234567890", "email": None, "mother_name": mother, "father_name": None,
            "emergency_contact": {"name": "Keluarga", "phone": "081298765432", "relationship": "saudara"},
        },
    }


def applicant(person, relationship):
    nik, name, _, birth, sex, marital, _ = person
    return {"full_name": name, "relationship": relationship, "birth_date": birth,
            "sex": sex, "marital_status": marital, "nik": nik}


def ready(applicant_id, person, jpeg):
    app = call("POST", "/v1/applications", draft(applicant_id, person))["id"]
    for kind in ["ektp", "family_card", "birth_certificate"]:
        call("PUT", f"/v1/applications/{app}/documents/{kind}", jpeg, media="image/jpeg")
    return app


def submitted(applicant_id, person, jpeg, slot):
    app = ready(applicant_id, person, jpeg)
    done = call("POST", f"/v1/applications/{app}/submit", {"slot_id": slot, "declaration_accepted": True})
    return app, done["payment"]["billing_code"]


def account(email, verified):
    call("POST", "/v1/accounts", {"full_name": "Uji Coba", "email": email, "phone": "081377665544",
                                  "password": PASSWORD, "birth_date": "1990-01-01", "sex": "male"}, token=None)
    if verified:
        call("POST", "/v1/accounts/verify", {"email": email, "otp": otp_for(email)}, token=None)


def on_dewis_card(person):
    nik, name, place, birth, sex, marital, mother = person
    call("POST", "/tester/citizens", {"nik": nik, "full_name": name, "birth_place": place, "birth_date": birth,
                                      "sex": sex, "marital_status": marital, "address": "Jl. Merdeka No. 1",
                                      "mother_name": mother, "passports": [], "family_card": DEWI_CARD}, token=None)


def main():
    jpeg = subprocess.run(["convert", "-size", "96x64", "gradient:navy-orange", "jpg:-"],
                          check=True, capture_output=True).stdout
    on_dewis_card(RUDI)
    on_dewis_card(SARI)
    holder = call("GET", "/v1/applicants")["items"][0]["id"]
    putri = call("POST", "/v1/applicants", {"full_name": "Putri Lestari", "relationship": "child",
                                             "birth_date": "2015-02-14", "sex": "female",
                                             "marital_status": "single"})
    rudi = call("POST", "/v1/applicants", applicant(RUDI, "sibling"))["id"]
    sari = call("POST", "/v1/applicants", applicant(SARI, "sibling"))["id"]
    slots = free_slots(OFFICE)

    plain = call("POST", "/v1/applications", {"applicant_id": holder})
    to_submit = ready(holder, DEWI, jpeg)
    # A draft that waits for a place (never submitted), and one watch to remove.
    to_watch = call("POST", "/v1/applications", draft(holder, DEWI))["id"]
    first = free_slots(OFFICE)[0].split(".")[1]
    first = f"{first[:4]}-{first[4:6]}-{first[6:]}"
    watch = {"application_id": to_watch, "offices": [OFFICE], "from": first, "to": first}
    watched = call("POST", "/v1/watches", watch)["id"]
    # The paid one's windows are the last free ones: an office may still ask
    # for a correction (until the day before), before and after a reschedule.
    paid, code = submitted(rudi, RUDI, jpeg, slots[-1])
    call("POST", "/tester/payments", {"billing_code": code}, token=None)
    pending, code = submitted(sari, SARI, jpeg, slots[1])
    ntpn = call("POST", "/tester/payments", {"billing_code": code, "notify": False}, token=None)["ntpn"]

    session = call("POST", "/v1/sessions", {"email": "dewi.lestari@example.com", "password": PASSWORD}, token=None)
    account("uji.verifikasi@example.com", verified=False)
    account("uji.sandi@example.com", verified=True)
    call("POST", "/v1/accounts/password-reset", {"email": "uji.sandi@example.com"}, token=None)

    print(json.dumps({
        "jpeg": jpeg.hex(),
        "holder": holder,
        "plain": {"id": plain["id"], "version": plain["version"]},
        "family": {"id": putri["id"], "version": putri["version"],
                   "input": {k: putri[k] for k in ["full_name", "relationship", "birth_date", "sex", "marital_status"]}},
        "to_submit": to_submit,
        "watch": watch,
        "watched": watched,
        "slot": slots[2],
        "paid": paid,
        "reschedule_to": slots[-2],
        "pending": pending,
        "ntpn": ntpn,
        "refresh_token": session["refresh_token"],
        "verify": {"email": "uji.verifikasi@example.com", "otp": otp_for("uji.verifikasi@example.com")},
        "reset": {"email": "uji.sandi@example.com", "otp": otp_for("uji.sandi@example.com")},
    }))


main()
