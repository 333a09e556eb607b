#!/usr/bin/env bash
# The main job on the embedded default: this folder is the home (keys/, policies/, audit/, cleanroom.sqlite).
set -euo pipefail
cd "$(dirname "$0")/.."
cleanroom=("$(swift build --show-bin-path)/cleanroom")

step() { printf '\n== %s\n' "$*"; }

step "cleanroom init (creates keys and the database on first run; never overwrites a key)"
"${cleanroom[@]}" init

step "cleanroom policy check"
"${cleanroom[@]}" policy check

step "cleanroom hash: a partner prepares its e-mail list for upload (Google profile, hex)"
"${cleanroom[@]}" hash --kind email --profile google examples/partner-emails.txt

step "cleanroom hash: phone numbers from a CSV column, E.164, Base64 (UID2's habit), region DE"
"${cleanroom[@]}" hash --kind phone --form e164 --encoding base64 --region DE --column phone examples/partner-contacts.csv
