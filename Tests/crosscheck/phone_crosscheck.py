#!/usr/bin/env python3
"""Cross-checks the phone rows of identifier_cases.json against PyPI `phonenumbers`.

The Swift tests check the rows against Debian's libphonenumber (C++, metadata of 2022) through the
CPhoneNumber shim; this script checks the same rows against the Python port, whose metadata is current.
A disagreement on a rare number is usually a metadata difference, not a bug. CI does not run it.

    python3 -m venv .peers && .peers/bin/pip install phonenumbers
    .peers/bin/python Tests/crosscheck/phone_crosscheck.py

Exit status 0 when every row agrees, 1 otherwise.
"""

import json
import pathlib
import sys
import unicodedata

import phonenumbers

FIXTURE = pathlib.Path(__file__).with_name("identifier_cases.json")

# Region names CleanRoom reads as another code (PhoneNormalizer.regionAliases).
REGION_ALIASES = {"UK": "GB"}


def python_result(raw, region):
    """The E.164 form per `phonenumbers`, or the reason it rejects, in CleanRoom's words."""
    text = raw.strip()
    if not text:
        return None, "empty"
    if any(unicodedata.category(c) == "Cc" for c in text):
        return None, "control_character"
    region = region.strip().upper() if region and region.strip() else None
    region = REGION_ALIASES.get(region, region)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        if error.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            if region is None:
                return None, "missing_region"
            if region not in phonenumbers.SUPPORTED_REGIONS:
                return None, "unknown_region"
        return None, "invalid_phone"
    if not phonenumbers.is_valid_number(number):
        return None, "invalid_phone"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None


def main():
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))["phone"]
    disagreements = 0
    for row in rows:
        raw, region = row["raw"], row.get("region")
        expected_e164 = row["e164"]["value"] if "e164" in row else None
        expected_reject = row.get("reject")
        if "digits" in row and row["digits"]["value"] != expected_e164[1:]:
            print(f"TABLE  {region!s:4} {raw!r}: digits form is not the E.164 digits")
            disagreements += 1
        e164, reject = python_result(raw, region)
        if (e164, reject) == (expected_e164, expected_reject):
            continue
        disagreements += 1
        ours = expected_e164 or f"rejected ({expected_reject})"
        theirs = e164 or f"rejected ({reject})"
        print(f"DIFFER {region!s:4} {raw!r}: libphonenumber 8.12 (Debian) {ours}, phonenumbers "
              f"{phonenumbers.__version__} {theirs}  [{row.get('note', '')}]")
    print(f"{len(rows)} phone rows, {disagreements} disagreement(s), phonenumbers {phonenumbers.__version__}")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
