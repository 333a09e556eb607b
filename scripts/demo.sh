#!/usr/bin/env bash
# The main job on the embedded default: this folder is the home (keys/, policies/, audit/, cleanroom.sqlite).
set -euo pipefail
cd "$(dirname "$0")/.."
cleanroom=("$(swift build --show-bin-path)/cleanroom")
data=.build/demo-data

step() { printf '\n== %s\n' "$*"; }

step "cleanroom init (creates keys and the database on first run; never overwrites a key)"
"${cleanroom[@]}" init

step "cleanroom policy check"
"${cleanroom[@]}" policy check

step "cleanroom demo generate: a synthetic retail data set with a few percent of bad rows"
rm -rf "$data"
"${cleanroom[@]}" demo generate --customers 2000 --out "$data" --seed 1

step "cleanroom ingest: customers, then their events and consent changes (rejects go to *.rejects.jsonl)"
"${cleanroom[@]}" ingest "$data/customers.jsonl" "$data/events.jsonl" "$data/consents.jsonl"

step "cleanroom ingest again: a replay changes nothing"
"${cleanroom[@]}" ingest "$data/customers.jsonl"

step "cleanroom rights withdraw: customer c-0000001 withdraws consent to ads_personalization"
"${cleanroom[@]}" rights withdraw --customer-id c-0000001 --purpose ads_personalization

step "cleanroom rights access: everything held about them, as JSON for them alone (mode 0600)"
"${cleanroom[@]}" rights access --customer-id c-0000001 --out .build/demo-access.json
head -c 300 .build/demo-access.json; echo " …"

step "cleanroom rights erase: customer c-0000002 is erased (a rerun of the demo says already erased)"
"${cleanroom[@]}" rights erase --customer-id c-0000002

step "cleanroom rights list"
"${cleanroom[@]}" rights list | tail -4

step "cleanroom retention sweep: data past its category's retention goes (counts audited)"
"${cleanroom[@]}" retention sweep

step "cleanroom report processing: the records of processing (GDPR Art. 30), from the policy and the verified log"
"${cleanroom[@]}" report processing --format markdown | head -20

step "cleanroom audit show --action ingest_batch (counts only, never an identifier)"
"${cleanroom[@]}" audit show --action ingest_batch | head -5

step "cleanroom audit verify"
"${cleanroom[@]}" audit verify

step "cleanroom hash: a partner prepares its e-mail list for upload (Google profile, hex)"
"${cleanroom[@]}" hash --kind email --profile google examples/partner-emails.txt

step "cleanroom hash: phone numbers from a CSV column, E.164, Base64 (UID2's habit), region DE"
"${cleanroom[@]}" hash --kind phone --form e164 --encoding base64 --region DE --column phone examples/partner-contacts.csv
