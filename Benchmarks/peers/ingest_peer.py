"""The Python peer of CleanRoom's ingest benchmark: the same gateway work, written the straightforward way.

Usage: ingest_peer.py DATA_DIR DB_PATH --schema-from SCHEMA_HOME [--batch 10000]

Reads DATA_DIR/customers.jsonl, then events.jsonl, then consents.jsonl when present (the format of the
ingest contract), and does what CleanRoom's gateway does (DESIGN.md sections 2 and 4):

  parse -> validate against the default policy's schema -> normalize identifiers (four e-mail profiles, two
  phone forms with PyPI `phonenumbers`, device id, customer id) -> SHA-256 match hash of each distinct
  normalized value -> pseudonym = HMAC-SHA256(match key, hash) -> resolve the person with an in-memory dict
  pseudonym -> subject -> per-subject data key wrapped with AES-256-GCM under a key-encryption key -> raw
  identifiers sealed with the data key -> the rows CleanRoom's store writes, into the same schema, with
  `sqlite3` (WAL, synchronous=FULL, foreign keys on), one transaction and one `executemany` per table per batch.

Rejected rows go to NAME.rejects.jsonl beside the input (line, field, reason; never the value). Each batch is
recorded in `ingest_batches` under the SHA-256 of its bytes, so a replayed batch is skipped. The last line
printed is a JSON summary with throughput and peak memory. See README.md for the choices made.
"""
import argparse
import hashlib
import hmac
import json
import math
import os
import re
import resource
import sqlite3
import sys
import time
import unicodedata
from datetime import datetime, timedelta, timezone

import phonenumbers
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# ---------------------------------------------------------------------------------------------------------
# The default policy (policies/default.yaml), hard-coded.

ATTRIBUTES = {
    "country": ("enum", {"DE", "AT", "CH", "FR", "NL", "BE", "LU", "DK", "SE", "NO", "PL", "IT", "ES"}),
    "city": ("string", None),
    "age_band": ("enum", {"18-24", "25-34", "35-44", "45-54", "55-64", "65+"}),
    "gender": ("enum", {"female", "male", "diverse", "unspecified"}),
    "loyalty_tier": ("enum", {"none", "bronze", "silver", "gold"}),
    "household_size": ("integer", (1, 12)),
    "preferred_channel": ("enum", {"web", "app", "store"}),
    "newsletter_subscriber": ("boolean", None),
}
# Event type -> (may carry amount and currency, may carry items).
EVENT_TYPES = {
    "visit": (False, False),
    "click": (False, False),
    "add_to_cart": (False, True),
    "purchase": (True, True),
}
PURPOSES = {"analytics", "ads_measurement", "ads_personalization", "partner_matching", "fraud_prevention",
            "service_quality"}
DEFAULT_REGION = "DE"
REGION_ALIASES = {"UK": "GB"}  # PhoneNormalizer.regionAliases
REGION_ATTRIBUTE = "country"

IDENTIFIER_KINDS = ("customer_id", "email", "phone", "device_id")
# The variant identity resolution joins on (DESIGN.md section 4): the `google` e-mail profile, the E.164 phone.
RESOLUTION_VARIANT = {"customer_id": "", "email": "google", "phone": "e164", "device_id": ""}

CUSTOMER_KEYS = {"type", *IDENTIFIER_KINDS, "attributes", "consent", "consent_at", "source"}
EVENT_KEYS = {"type", *IDENTIFIER_KINDS, "event", "at", "amount", "currency", "items"}
CONSENT_KEYS = {"type", *IDENTIFIER_KINDS, "purpose", "granted", "at", "source"}

# Fixed keys: the peer has no keyring. The pseudonyms then equal CleanRoom's under the same match key.
MATCH_KEY = bytes(range(32))
KEK = bytes(range(32, 64))
KEK_VERSION = 1

# ---------------------------------------------------------------------------------------------------------
# The schema is CleanRoom's own, copied from a home `cleanroom init` just made (as the ingest-ceiling does):
# every table, index and trigger of SCHEMA_HOME/cleanroom.sqlite with its grdb_migrations rows, so CleanRoom can
# open what the peer built, and the key vault's, SCHEMA_HOME/keys/data-keys.sqlite: data keys live in a file of
# their own, DB_PATH + ".keys", written before each batch's commit. No copy of the schema to keep in step.

SCHEMA_QUERY = """\
SELECT sql FROM sqlite_master
WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, rowid
"""


def copy_schema(db, source_path):
    """Creates in `db` every object of the database at `source_path`, and its GRDB migration rows."""
    source = sqlite3.connect("file:%s?mode=ro" % source_path, uri=True)
    try:
        statements = [row[0] for row in source.execute(SCHEMA_QUERY)]
        has_migrations = source.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'grdb_migrations'").fetchone() is not None
        migrations = source.execute("SELECT identifier FROM grdb_migrations").fetchall() if has_migrations else []
    finally:
        source.close()
    if not statements:
        sys.exit("ingest_peer: %s holds no schema; give a home just made with `cleanroom init`" % source_path)
    db.execute("BEGIN")
    for statement in statements:
        db.execute(statement)
    if migrations:
        db.executemany("INSERT INTO grdb_migrations (identifier) VALUES (?)", migrations)
    db.execute("COMMIT")


# ---------------------------------------------------------------------------------------------------------
# Identifier normalization, exactly as Sources/CleanRoomCore/Identifiers (DESIGN.md section 4).

class Reject(Exception):
    """A record that is not ingested: the field and the reason, never the value."""

    def __init__(self, field, reason):
        super().__init__(reason)
        self.field = field
        self.reason = reason


# Unicode White_Space (PropList.txt); Python's str.isspace() also counts U+001C..U+001F, which are not.
WHITE_SPACE = set("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                  "\u200a\u2028\u2029\u202f\u205f\u3000")
EMAIL_SPECIALS = set('<>()[]\\,;:"')
GOOGLE_MAIL = {"gmail.com", "googlemail.com"}
HEX32 = re.compile(r"[0-9a-fA-F]{32}")


def trim(text):
    start, end = 0, len(text)
    while start < end and text[start] in WHITE_SPACE:
        start += 1
    while end > start and text[end - 1] in WHITE_SPACE:
        end -= 1
    return text[start:end]


def is_control(ch):
    return ch < " " or ch == "\x7f" or (ch > "\x7f" and unicodedata.category(ch) == "Cc")


def email_variants(raw, profiles):
    """The normalized address under each of `profiles`: trim, NFC, full lowercase, shape checks, profile rule."""
    text = trim(raw)
    if not text:
        raise Reject("email", "the e-mail address is empty")
    text = unicodedata.normalize("NFC", text).lower()
    for ch in text:
        if ch in WHITE_SPACE:
            raise Reject("email", "the e-mail address has white space inside")
        if is_control(ch):
            raise Reject("email", "the e-mail address holds a control character")
        if ch > "\x7f" and unicodedata.category(ch) == "Cf":
            raise Reject("email", "the e-mail address holds an invisible format character")
        if ch in EMAIL_SPECIALS:
            raise Reject("email", "the e-mail address holds one of < > ( ) [ ] \\ , ; : \"")
    if len(text.encode("utf-8")) > 254:
        raise Reject("email", "the e-mail address is longer than 254 bytes")
    local, at, domain = text.partition("@")
    if not at:
        raise Reject("email", "the e-mail address has no @")
    if "@" in domain:
        raise Reject("email", "the e-mail address has more than one @")
    if not local:
        raise Reject("email", "the e-mail address has nothing before the @")
    if not domain:
        raise Reject("email", "the e-mail address has nothing after the @")
    labels = domain.split(".")
    if len(labels) < 2 or not all(labels):
        raise Reject("email", "the domain of the e-mail address needs a dot and no empty label")
    variants = {}
    for profile in profiles:
        if (profile == "google" and domain in GOOGLE_MAIL) or (profile == "uid2" and domain == "gmail.com"):
            part = unicodedata.normalize("NFC", local.split("+", 1)[0].replace(".", ""))
        elif profile == "gmail_dots" and domain in GOOGLE_MAIL:
            part = unicodedata.normalize("NFC", local.replace(".", ""))
        else:
            part = local
        if not part:
            raise Reject("email", "the e-mail address has nothing before the @ once the profile drops dots and +tag")
        variants[profile] = part + "@" + domain
    return variants


def phone_variants(raw, region, forms):
    """The number in each of `forms` (`e164`, `digits`), national numbers read in `region`."""
    text = trim(raw)
    if not text:
        raise Reject("phone", "the phone number is empty")
    if any(is_control(ch) for ch in text):
        raise Reject("phone", "the phone number holds a control character")
    region = trim(region).upper()
    try:
        number = phonenumbers.parse(text, REGION_ALIASES.get(region, region))
    except phonenumbers.NumberParseException:
        raise Reject("phone", "the phone number could not be parsed") from None
    if not phonenumbers.is_valid_number(number):
        raise Reject("phone", "the phone number is not a valid number in its country")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return {form: (e164 if form == "e164" else e164[1:]) for form in forms}


def device_id_variants(raw):
    """Lowercase 8-4-4-4-12 with hyphens; braces and hyphens optional in the input; all zeros rejected."""
    text = trim(raw)
    if not text:
        raise Reject("device_id", "the device id is empty")
    if len(text) >= 2 and text[0] == "{" and text[-1] == "}":
        text = text[1:-1]
    if len(text) == 36 and all(text[i] == "-" for i in (8, 13, 18, 23)):
        text = text.replace("-", "")
    if not HEX32.fullmatch(text):
        raise Reject("device_id", "the device id is not an IDFA or AAID")
    digits = text.lower()
    if digits == "0" * 32:
        raise Reject("device_id", "the device id is all zeros (ad tracking limited)")
    return {"": "-".join((digits[:8], digits[8:12], digits[12:16], digits[16:20], digits[20:]))}


def customer_id_variants(raw):
    """Trimmed, case kept."""
    text = trim(raw)
    if not text:
        raise Reject("customer_id", "the customer id is empty")
    if any(is_control(ch) for ch in text):
        raise Reject("customer_id", "the customer id holds a control character")
    if len(text.encode("utf-8")) > 256:
        raise Reject("customer_id", "the customer id is longer than 256 bytes")
    return {"": text}


def normalized_variants(kind, raw, region, resolution_only):
    """Variant name -> normalized value for one identifier; only the resolution variant when asked."""
    if not isinstance(raw, str):
        raise Reject(kind, "must be a string")
    if kind == "email":
        return email_variants(raw, ("google",) if resolution_only else ("basic", "google", "gmail_dots", "uid2"))
    if kind == "phone":
        return phone_variants(raw, region, ("e164",) if resolution_only else ("e164", "digits"))
    if kind == "device_id":
        return device_id_variants(raw)
    return customer_id_variants(raw)


def stored_variant_name(kind, variant):
    """The name CleanRoom stores a variant under: `email/google`, `phone/e164`, or the kind for one-form kinds."""
    return kind + "/" + variant if variant else kind


def pseudonyms_of(variants):
    """Variant name -> pseudonym; each distinct normalized value is hashed once."""
    by_value = {}
    result = {}
    for name, value in variants.items():
        if value not in by_value:
            match_hash = hashlib.sha256(value.encode("utf-8")).digest()
            by_value[value] = hmac.digest(MATCH_KEY, match_hash, "sha256")
        result[name] = by_value[value]
    return result


# ---------------------------------------------------------------------------------------------------------
# Field validation.

RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
MILLISECOND = timedelta(milliseconds=1)
CURRENCY = re.compile(r"[A-Z]{3}")


def milliseconds(value, field):
    """An RFC 3339 time as whole milliseconds since 1970 UTC, rounded down (the store's time form)."""
    if not isinstance(value, str) or not RFC3339.fullmatch(value):
        raise Reject(field, "must be an RFC 3339 time such as 2026-03-01T10:00:00Z")
    try:
        moment = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        raise Reject(field, "is not a valid date and time") from None
    return (moment - EPOCH) // MILLISECOND


def check_keys(record, allowed):
    for key in record:
        if key not in allowed:
            raise Reject(key, "is not a field of a %s record" % record["type"])


def stored_attributes(attributes):
    """The policy-checked attributes as (name, stored text) pairs."""
    if attributes is None:
        return []
    if not isinstance(attributes, dict):
        raise Reject("attributes", "must be an object")
    result = []
    for name, value in attributes.items():
        if name not in ATTRIBUTES:
            raise Reject("attributes." + name, "is not an attribute of the policy schema")
        kind, rule = ATTRIBUTES[name]
        field = "attributes." + name
        if kind == "enum":
            if not isinstance(value, str) or value not in rule:
                raise Reject(field, "is not one of the values the policy allows")
            text = value
        elif kind == "string":
            if not isinstance(value, str) or not trim(value):
                raise Reject(field, "must be a non-empty string")
            text = trim(value)
        elif kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int) or not rule[0] <= value <= rule[1]:
                raise Reject(field, "must be an integer from %d to %d" % rule)
            text = str(value)
        else:
            if not isinstance(value, bool):
                raise Reject(field, "must be true or false")
            text = "true" if value else "false"
        result.append((name, text))
    return result


def consent_signals(consent, consent_at):
    """(purpose, signal, occurred_at ms) for each purpose of the customer record's consent object."""
    if consent is None:
        return []
    if not isinstance(consent, dict):
        raise Reject("consent", "must be an object of purpose names and true or false")
    occurred_at = milliseconds(consent_at, "consent_at") if consent else None
    signals = []
    for purpose, granted in consent.items():
        if purpose not in PURPOSES:
            raise Reject("consent." + purpose, "is not a purpose of the policy")
        if not isinstance(granted, bool):
            raise Reject("consent." + purpose, "must be true or false")
        signals.append((purpose, "granted" if granted else "withdrawn", occurred_at))
    return signals


def optional_source(record):
    source = record.get("source")
    if source is not None and not isinstance(source, str):
        raise Reject("source", "must be a string")
    return source


def event_key(subject, event_type, at, amount, currency, items):
    """The event's identity: SHA-256 of the canonical JSON array
    [subject id, type, time in ms, amount as a float or null, currency or null, items sorted by code point]."""
    identity = [subject, event_type, at, amount, currency, sorted(items)]
    return hashlib.sha256(json.dumps(identity, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).digest()


# ---------------------------------------------------------------------------------------------------------
# The pipeline.

class Rows:
    """The rows one batch inserts, table by table."""

    def __init__(self):
        self.subjects = []
        self.data_keys = []
        self.identifiers = []
        self.attributes = {}  # subject -> {name: [value, updated_at]}, the whole row subject_attributes will hold
        self.consents = []
        self.events = []
        self.items = []


class Counts:
    def __init__(self):
        self.records = self.accepted = self.rejected = self.suppressed = self.duplicates = 0
        self.created = self.updated = 0
        self.replayed_batches = 0


class Ingest:
    def __init__(self, db_path, schema_home, batch_size):
        self.batch_size = batch_size
        self.kek = AESGCM(KEK)
        self.db = open_database(db_path, os.path.join(schema_home, "cleanroom.sqlite"))
        self.vault = open_database(db_path + ".keys", os.path.join(schema_home, "keys", "data-keys.sqlite"))
        # Ids are given here, in arrival order, as SQLite would: the writer is this one process.
        self.next_subject = self.scalar("SELECT max(coalesce((SELECT seq FROM sqlite_sequence "
                                        "WHERE name = 'subjects'), 0), coalesce(max(id), 0)) FROM subjects") + 1
        self.next_identifier = self.scalar("SELECT coalesce(max(id), 0) FROM identifiers") + 1
        self.next_consent = self.scalar("SELECT coalesce(max(id), 0) FROM consent_ledger") + 1
        self.next_event = self.scalar("SELECT coalesce(max(id), 0) FROM events") + 1
        # Identity resolution in memory (DESIGN.md section 9), rebuilt from the store: kind -> pseudonym -> subject.
        self.index = {kind: {} for kind in IDENTIFIER_KINDS}
        for kind, subject, names, pseudonyms in self.db.execute(
                "SELECT kind, subject_id, variants, pseudonyms FROM identifiers"):
            for position, name in enumerate(names.split(",")):
                if name == stored_variant_name(kind, RESOLUTION_VARIANT[kind]):
                    self.index[kind][pseudonyms[32 * position:32 * (position + 1)]] = subject
        self.suppressed = {row[0] for row in self.db.execute("SELECT pseudonym FROM suppression_list")}
        self.batch_keys = {}  # subject -> AESGCM of its data key, for the current batch
        self.batch_consents = set()  # ledger entries written in the current batch
        self.batch_events = set()  # (subject, key) written in the current batch

    def scalar(self, sql):
        return self.db.execute(sql).fetchone()[0]

    # -- files and batches ---------------------------------------------------------------------------

    def ingest_file(self, path, kind, handle):
        counts = Counts()
        stem = os.path.basename(path).rsplit(".", 1)[0]
        rejects_path = os.path.join(os.path.dirname(path), stem + ".rejects.jsonl")
        with open(path, "rb") as source, open(rejects_path, "w", encoding="utf-8") as rejects:
            batch, first_line = [], 1
            for line_number, line in enumerate(source, start=1):
                batch.append(line)
                if len(batch) == self.batch_size:
                    self.ingest_batch(batch, first_line, kind, handle, counts, rejects)
                    batch, first_line = [], line_number + 1
            if batch:
                self.ingest_batch(batch, first_line, kind, handle, counts, rejects)
        return counts

    def ingest_batch(self, lines, first_line, kind, handle, counts, rejects):
        digest = hashlib.sha256(b"".join(lines)).digest()
        batch_id = kind + ":" + digest.hex()
        counts.records += len(lines)
        if self.db.execute("SELECT 1 FROM ingest_batches WHERE batch_id = ?", (batch_id,)).fetchone():
            counts.replayed_batches += 1  # already ingested
            return
        started_at = now_ms()
        batch = Counts()
        rows = Rows()
        self.db.execute("BEGIN IMMEDIATE")
        for offset, line in enumerate(lines):
            try:
                try:
                    record = json.loads(line)
                except ValueError:
                    raise Reject("line", "is not valid JSON in UTF-8") from None
                if not isinstance(record, dict) or record.get("type") != kind:
                    raise Reject("type", "must be \"%s\" in this file" % kind)
                handle(record, rows, batch, started_at)
            except Reject as reject:
                batch.rejected += 1
                rejects.write(json.dumps({"line": first_line + offset, "field": reject.field,
                                          "reason": reject.reason}) + "\n")
        self.write(rows, batch)
        self.db.execute(
            "INSERT INTO ingest_batches (batch_id, digest, source, started_at, committed_at, accepted, rejected, "
            "suppressed, duplicates, subjects_created, subjects_updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (batch_id, digest, None, started_at, now_ms(), batch.accepted, batch.rejected, batch.suppressed,
             batch.duplicates, batch.created, batch.updated))
        self.db.execute("COMMIT")
        self.batch_keys.clear()
        self.batch_consents.clear()
        self.batch_events.clear()
        for name in ("accepted", "rejected", "suppressed", "duplicates", "created", "updated"):
            setattr(counts, name, getattr(counts, name) + getattr(batch, name))

    def write(self, rows, batch):
        db = self.db
        db.executemany("INSERT INTO subjects (id, created_at) VALUES (?, ?)", rows.subjects)
        # The vault commits first, as CleanRoom's does: a crash before the database commit leaves only orphan keys.
        self.vault.execute("BEGIN IMMEDIATE")
        self.vault.executemany("INSERT OR REPLACE INTO data_keys (subject_id, kek_version, wrapped) VALUES (?, ?, ?)",
                               rows.data_keys)
        self.vault.execute("COMMIT")
        db.executemany("INSERT INTO identifiers (id, subject_id, kind, sealed, added_at, variants, pseudonyms) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", rows.identifiers)
        db.executemany(
            "INSERT INTO subject_attributes (subject_id, attributes) VALUES (?, ?) "
            "ON CONFLICT (subject_id) DO UPDATE SET attributes = excluded.attributes",
            [(subject, json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
             for subject, values in rows.attributes.items()])
        db.executemany("INSERT INTO consent_ledger (id, subject_id, purpose, signal, occurred_at, recorded_at, source) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", rows.consents)
        if rows.events:
            # Insert-if-absent: an event already held (same subject and key, from an earlier batch) is skipped,
            # and so are its items, which are inserted only where their event row now exists.
            inserted = db.executemany(
                "INSERT INTO events (id, subject_id, type, occurred_at, amount, currency, event_key) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (subject_id, event_key) DO NOTHING", rows.events).rowcount
            db.executemany("INSERT INTO event_items (event_id, position, item) SELECT id, ?, ? FROM events "
                           "WHERE id = ?", rows.items)
            batch.duplicates += len(rows.events) - inserted
            batch.accepted -= len(rows.events) - inserted

    # -- identity ------------------------------------------------------------------------------------

    def resolve(self, record, region):
        """The subject an event or consent record names, or None when the person is suppressed."""
        subjects = set()
        given = False
        for kind in IDENTIFIER_KINDS:
            if kind not in record:
                continue
            given = True
            variant = RESOLUTION_VARIANT[kind]
            pseudonym = pseudonyms_of(normalized_variants(kind, record[kind], region, True))[variant]
            if pseudonym in self.suppressed:
                return None
            subject = self.index[kind].get(pseudonym)
            if subject is not None:
                subjects.add(subject)
        if not given:
            raise Reject("identifiers", "needs at least one of customer_id, email, phone, device_id")
        if not subjects:
            raise Reject("identifiers", "no person with these identifiers is held")
        if len(subjects) > 1:
            raise Reject("identifiers", "the identifiers belong to different people (conflicting links)")
        return subjects.pop()

    def data_key(self, subject):
        """The AESGCM of an existing subject's data key, unwrapped from the store."""
        key = self.batch_keys.get(subject)
        if key is None:
            version, wrapped = self.vault.execute(
                "SELECT kek_version, wrapped FROM data_keys WHERE subject_id = ?", (subject,)).fetchone()
            key = AESGCM(self.kek.decrypt(wrapped[:12], wrapped[12:], wrap_context(version, subject)))
            self.batch_keys[subject] = key
        return key

    def new_subject(self, rows, now):
        subject = self.next_subject
        self.next_subject += 1
        data_key = AESGCM.generate_key(bit_length=256)
        nonce = os.urandom(12)
        wrapped = nonce + self.kek.encrypt(nonce, data_key, wrap_context(KEK_VERSION, subject))
        rows.subjects.append((subject, now))
        rows.data_keys.append((subject, KEK_VERSION, wrapped))
        key = AESGCM(data_key)
        self.batch_keys[subject] = key
        return subject, key

    def is_new_consent(self, entry):
        """Whether the ledger lacks this (subject, purpose, signal, occurred_at): a replayed record adds nothing."""
        if entry in self.batch_consents:
            return False
        subject, purpose, signal, occurred_at = entry
        held = self.db.execute("SELECT 1 FROM consent_ledger WHERE subject_id = ? AND purpose = ? AND signal = ? "
                               "AND occurred_at = ?", (subject, purpose, signal, occurred_at)).fetchone()
        return held is None

    def append_consent(self, rows, entry, recorded_at, source):
        self.batch_consents.add(entry)
        rows.consents.append((self.next_consent, *entry, recorded_at, source))
        self.next_consent += 1

    # -- record kinds --------------------------------------------------------------------------------

    def customer(self, record, rows, counts, now):
        check_keys(record, CUSTOMER_KEYS)
        attributes = stored_attributes(record.get("attributes"))
        signals = consent_signals(record.get("consent"), record.get("consent_at"))
        source = optional_source(record)
        region = dict(attributes).get(REGION_ATTRIBUTE, DEFAULT_REGION)
        identifiers = []  # (kind, raw, {variant: pseudonym})
        for kind in IDENTIFIER_KINDS:
            if kind in record:
                raw = record[kind]
                identifiers.append((kind, raw, pseudonyms_of(normalized_variants(kind, raw, region, False))))
        if not identifiers:
            raise Reject("identifiers", "needs at least one of customer_id, email, phone, device_id")
        if any(p in self.suppressed for _, _, variants in identifiers for p in variants.values()):
            counts.suppressed += 1
            return
        subjects = {self.index[kind].get(variants[RESOLUTION_VARIANT[kind]]) for kind, _, variants in identifiers}
        subjects.discard(None)
        if len(subjects) > 1:
            raise Reject("identifiers", "the identifiers belong to different people (conflicting links)")
        created = not subjects
        if not created:
            subject = subjects.pop()
            key = self.data_key(subject)
            counts.updated += 1
        else:
            subject, key = self.new_subject(rows, now)
            counts.created += 1
        context = subject_context(subject)
        for kind, raw, variants in identifiers:
            resolution = variants[RESOLUTION_VARIANT[kind]]
            if resolution in self.index[kind]:
                continue  # already held for this subject
            nonce = os.urandom(12)
            sealed = nonce + key.encrypt(nonce, raw.encode("utf-8"), context)
            identifier = self.next_identifier
            self.next_identifier += 1
            names = sorted(variants, key=lambda variant: stored_variant_name(kind, variant))
            rows.identifiers.append((identifier, subject, kind, sealed, now,
                                     ",".join(stored_variant_name(kind, name) for name in names),
                                     b"".join(variants[name] for name in names)))
            self.index[kind][resolution] = subject
        if attributes:
            held = rows.attributes.get(subject)
            if held is None:
                stored = None if created else self.db.execute(
                    "SELECT attributes FROM subject_attributes WHERE subject_id = ?", (subject,)).fetchone()
                held = rows.attributes[subject] = json.loads(stored[0]) if stored else {}
            for name, value in attributes:
                if name not in held or held[name][1] <= now:  # the newest value wins
                    held[name] = [value, now]
        for purpose, signal, occurred_at in signals:
            entry = (subject, purpose, signal, occurred_at)
            if created or self.is_new_consent(entry):
                self.append_consent(rows, entry, now, source)
        counts.accepted += 1

    def event(self, record, rows, counts, now):
        check_keys(record, EVENT_KEYS)
        event_type = record.get("event")
        if not isinstance(event_type, str) or event_type not in EVENT_TYPES:
            raise Reject("event", "is not an event type of the policy")
        takes_amount, takes_items = EVENT_TYPES[event_type]
        at = milliseconds(record.get("at"), "at")
        amount, currency = record.get("amount"), record.get("currency")
        if amount is not None or currency is not None:
            if not takes_amount:
                raise Reject("amount", "is not allowed for this event type")
            if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not math.isfinite(amount):
                raise Reject("amount", "must be a finite number")
            if not isinstance(currency, str) or not CURRENCY.fullmatch(currency):
                raise Reject("currency", "must be an ISO 4217 code such as EUR")
            amount = float(amount)
        items = record.get("items", [])
        if not isinstance(items, list) or not all(isinstance(item, str) and item for item in items):
            raise Reject("items", "must be a list of non-empty strings")
        if items and not takes_items:
            raise Reject("items", "is not allowed for this event type")
        subject = self.resolve(record, DEFAULT_REGION)
        if subject is None:
            counts.suppressed += 1
            return
        key = event_key(subject, event_type, at, amount, currency, items)
        if (subject, key) in self.batch_events:
            counts.duplicates += 1
            return
        self.batch_events.add((subject, key))
        event = self.next_event
        self.next_event += 1
        rows.events.append((event, subject, event_type, at, amount, currency, key))
        for position, item in enumerate(items):
            rows.items.append((position, item, event))
        counts.accepted += 1

    def consent(self, record, rows, counts, now):
        check_keys(record, CONSENT_KEYS)
        purpose = record.get("purpose")
        if not isinstance(purpose, str) or purpose not in PURPOSES:
            raise Reject("purpose", "is not a purpose of the policy")
        granted = record.get("granted")
        if not isinstance(granted, bool):
            raise Reject("granted", "must be true or false")
        at = milliseconds(record.get("at"), "at")
        source = optional_source(record)
        subject = self.resolve(record, DEFAULT_REGION)
        if subject is None:
            counts.suppressed += 1
            return
        entry = (subject, purpose, "granted" if granted else "withdrawn", at)
        if not self.is_new_consent(entry):
            counts.duplicates += 1
            return
        self.append_consent(rows, entry, now, source)
        counts.accepted += 1


def wrap_context(version, subject):
    """The associated data of a wrapped data key, as CleanRoomCrypto's WrappedDataKey.associatedData."""
    return b"cleanroom wrapped data key v1\x00" + version.to_bytes(4, "big") + subject_context(subject)


def subject_context(subject):
    """SubjectID.dataKeyContext: `subject:` and the id as 8 bytes big-endian."""
    return b"subject:" + subject.to_bytes(8, "big")


def now_ms():
    return time.time_ns() // 1_000_000


def open_database(path, schema_source):
    """Opens (creating with mode 0600) the database with CleanRoom's pragmas, copying the schema of
    `schema_source` into it when it has none."""
    if not os.path.exists(path):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA secure_delete = ON")
    db.execute("PRAGMA cache_size = -65536")  # 64 MiB, Store.Options' default
    db.execute("PRAGMA wal_autocheckpoint = 8192")  # as Store sets it
    if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
        copy_schema(db, schema_source)
    return db


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir")
    parser.add_argument("db_path")
    parser.add_argument("--schema-from", required=True, metavar="SCHEMA_HOME",
                        help="a CleanRoom home just made with `cleanroom init`, whose schema the peer copies")
    parser.add_argument("--batch", type=int, default=10000, help="records per transaction")
    args = parser.parse_args()
    ingest = Ingest(args.db_path, args.schema_from, args.batch)
    summary = {"peer": "python"}
    for kind, name, handle in (("customer", "customers", ingest.customer), ("event", "events", ingest.event),
                               ("consent", "consents", ingest.consent)):
        path = os.path.join(args.data_dir, name + ".jsonl")
        if kind == "consent" and not os.path.exists(path):
            continue
        start = time.perf_counter()
        counts = ingest.ingest_file(path, kind, handle)
        seconds = time.perf_counter() - start
        summary[name] = counts.records
        summary[name + "_per_s"] = round(counts.records / seconds)
        summary["seconds_" + name] = round(seconds, 3)
        summary[name + "_accepted"] = counts.accepted
        summary[name + "_rejected"] = counts.rejected
        summary[name + "_suppressed"] = counts.suppressed
        if kind == "customer":
            summary["subjects_created"] = counts.created
            summary["subjects_updated"] = counts.updated
        else:
            summary[name + "_duplicates"] = counts.duplicates
        summary[name + "_batches_already_ingested"] = counts.replayed_batches
    ingest.db.close()
    summary["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
