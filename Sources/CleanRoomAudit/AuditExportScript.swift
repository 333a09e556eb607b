/// The README and the verification script of an audit export.
enum AuditExportScript {
    /// `verify.sh`: checks the export with bash, sha256sum, openssl, base64, od, sed, awk and cut only.
    static let verify = #"""
        #!/usr/bin/env bash
        # Verifies a CleanRoom audit export with standard tools only: bash, sha256sum, openssl (3.0 or later),
        # base64, od, sed, awk, tr and cut. Run it as `bash verify.sh`; it checks the folder it lives in.
        # Exit 0 and one line when the log is intact; exit 1 naming the first bad entry or checkpoint otherwise.
        set -euo pipefail
        cd "$(dirname "$0")"
        origin=${ORIGIN:-cleanroom/audit}
        work=$(mktemp -d)
        trap 'rm -rf "$work"' EXIT

        fail() { echo "NOT intact: $*" >&2; exit 1; }
        sha256_hex() { sha256sum | cut -c1-64; }
        hex_to_binary() { printf "$(printf '%s' "$1" | sed 's/../\\x&/g')"; }
        # RFC 9162 section 2.1.1: an interior node is SHA-256(0x01 || left || right).
        node_hash() { { printf '\001'; hex_to_binary "$1$2"; } | sha256_hex; }

        # 1. Every entry. A line is {"entry":ENTRY,"leaf_hash":"HEX"}; the leaf hash is SHA-256(0x00 || ENTRY)
        #    (RFC 9162 section 2.1.1) and the sequence numbers run 0, 1, 2, ... with none missing.
        leaves=()
        for segment in log-*.jsonl; do
            [ -f "$segment" ] || continue
            while IFS= read -r line || [ -n "$line" ]; do
                n=${#leaves[@]}
                case "$line" in
                    '{"entry":'*',"leaf_hash":"'????????????????????????????????????????????????????????????????'"}') ;;
                    *) fail "entry $n: the line is not {\"entry\":...,\"leaf_hash\":\"...\"} (torn or altered)" ;;
                esac
                entry=${line#'{"entry":'}
                entry=${entry%',"leaf_hash":"'*}
                stored=${line: -66:64}
                computed=$( { printf '\000'; printf '%s' "$entry"; } | sha256_hex )
                [ "$computed" = "$stored" ] || fail "entry $n: its leaf hash does not match its bytes (the entry was changed)"
                sequence=$(printf '%s' "$entry" | sed -n 's/.*,"sequence":\([0-9]*\),"suppressed_cells":.*/\1/p')
                [ "$sequence" = "$n" ] || fail "entry $n: entry ${sequence:-?} stands in its place (entries removed, reordered or inserted)"
                leaves+=("$computed")
            done < "$segment"
        done
        size=${#leaves[@]}

        # 2. The Merkle tree: node[k,i] is the hash of the perfect subtree of leaves i*2^k ... (i+1)*2^k - 1.
        declare -A node
        for i in "${!leaves[@]}"; do node["0,$i"]=${leaves[$i]}; done
        count=$size
        levels=0
        while [ "$count" -ge 2 ]; do
            next=$(( count / 2 ))
            for (( i = 0; i < next; i++ )); do
                node["$(( levels + 1 )),$i"]=$(node_hash "${node[$levels,$(( 2 * i ))]}" "${node[$levels,$(( 2 * i + 1 ))]}")
            done
            levels=$(( levels + 1 ))
            count=$next
        done
        # The root of the first $1 leaves (RFC 9162 section 2.1.1): its perfect subtrees, combined right to left.
        root_of() {
            local want=$1 offset=0 k i h parts=()
            if [ "$want" -eq 0 ]; then printf '' | sha256_hex; return; fi
            for (( k = levels; k >= 0; k-- )); do
                if (( (want >> k) & 1 )); then
                    parts+=("${node[$k,$(( offset >> k ))]}")
                    offset=$(( offset + (1 << k) ))
                fi
            done
            h=${parts[${#parts[@]} - 1]}
            for (( i = ${#parts[@]} - 2; i >= 0; i-- )); do h=$(node_hash "${parts[$i]}" "$h"); done
            echo "$h"
        }

        # 3. Every checkpoint (a C2SP signed note): its Ed25519 signature by audit-ed25519.pem over the note's
        #    text, and its root hash equal to the root of the entries at its size.
        checked=0
        for checkpoint in checkpoints/*.checkpoint checkpoint; do
            [ -f "$checkpoint" ] || continue
            awk '/^$/ { exit } { print }' "$checkpoint" > "$work/text"
            [ "$(sed -n 1p "$work/text")" = "$origin" ] || fail "checkpoint $checkpoint: its origin is not $origin"
            signed=$(sed -n 2p "$work/text")
            root=$(sed -n 3p "$work/text" | base64 -d | od -An -v -tx1 | tr -d ' \n')
            signature=$(sed -n '/^$/,$p' "$checkpoint" | grep -F -- "— $origin " | head -n 1 | awk '{ print $3 }')
            [ -n "$signature" ] || fail "checkpoint $checkpoint: no signature by $origin"
            printf '%s' "$signature" | base64 -d | tail -c 64 > "$work/signature"
            openssl pkeyutl -verify -pubin -inkey audit-ed25519.pem -rawin -in "$work/text" \
                -sigfile "$work/signature" > /dev/null 2>&1 \
                || fail "checkpoint $checkpoint: its signature does not verify (forged or altered)"
            [ "$signed" -le "$size" ] \
                || fail "entry $size: checkpoint $checkpoint signed $signed entries but the log ends at $size (entries removed)"
            [ "$(root_of "$signed")" = "$root" ] \
                || fail "checkpoint $checkpoint: the first $signed entries are not the ones it signed (entries changed)"
            checked=$(( checked + 1 ))
        done
        [ "$checked" -gt 0 ] || fail "no checkpoint: nothing here is signed"
        echo "intact: $size entries, $checked checkpoints verified, root $(root_of "$size")"
        """#

    /// The export's `README.md`.
    static func readme(origin: String) -> String {
        #"""
        # CleanRoom audit log export

        This folder is a copy of a CleanRoom audit log, made for an auditor. You can check it without
        CleanRoom, with standard tools only:

            bash verify.sh

        It prints `intact: N entries, C checkpoints verified, root <hex>` and exits 0, or names the first bad
        entry or checkpoint and exits 1.

        ## What is here

        | file | what it is |
        |---|---|
        | `log-<first sequence>.jsonl` | the entries, one per line, in order |
        | `checkpoints/<size>.checkpoint` | every signed checkpoint, named by the number of entries it covers |
        | `checkpoint` | the newest signed checkpoint |
        | `audit-ed25519.pem` | the log's Ed25519 public key |
        | `verify.sh` | the checks below, as a script |

        Each line of a segment is `{"entry":ENTRY,"leaf_hash":"HEX"}`. ENTRY is canonical JSON (keys sorted,
        no white space) with the fields `action`, `cohort_sizes`, `decision`, `policy_digest`, `previous_root`,
        `principal`, `purpose`, `request`, `result_digest`, `role`, `sequence`, `suppressed_cells` and `time`.
        No entry holds an identifier, a hash of one or a pseudonym: requests are recorded by their shape.

        ## The checks, by hand

        1. **Each entry's leaf hash** is SHA-256 of a zero byte followed by ENTRY (RFC 9162 section 2.1.1).
           For one line in the shell variable `line`:

               entry=${line#'{"entry":'}; entry=${entry%',"leaf_hash":"'*}
               { printf '\000'; printf '%s' "$entry"; } | sha256sum      # equals the line's leaf_hash

        2. **The sequence numbers** run 0, 1, 2, … with none missing or repeated, across the segments in name
           order. Each entry's `previous_root` is the Merkle root of all entries before it.
        3. **The Merkle tree** is RFC 9162's: an interior node is SHA-256 of the byte 0x01 followed by the two
           child hashes; a tree of n leaves splits at the largest power of two below n.
        4. **Each checkpoint** is a C2SP signed note (`tlog-checkpoint`): the origin `\#(origin)`, the number of
           entries, the Base64 root hash and a `time` line, then a blank line and a signature line
           `— \#(origin) BASE64`, where BASE64 decodes to a 4-byte key ID followed by the 64-byte Ed25519
           signature of the text above the blank line. Check one with `openssl` alone:

               awk '/^$/ { exit } { print }' checkpoint > text
               sed -n '/^$/,$p' checkpoint | grep -F -- '— \#(origin) ' | awk '{ print $3 }' \
                   | base64 -d | tail -c 64 > signature
               openssl pkeyutl -verify -pubin -inkey audit-ed25519.pem -rawin -in text -sigfile signature

           and compare its root (`sed -n 3p text | base64 -d | od -An -tx1`) with the root of that many
           entries. A later checkpoint whose first entries give an earlier checkpoint's root proves the log
           only grew.
        """#
    }
}
