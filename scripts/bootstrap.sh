#!/usr/bin/env bash
# Installs the Debian packages CleanRoom builds against, when any is missing:
#   libssl-dev (OpenSSL 3 libcrypto), libsqlite3-dev (SQLite), libphonenumber-dev (Google's libphonenumber),
#   libjemalloc-dev (the executable's memory allocator), pkg-config (finds them).
# Needs root or sudo only when something is missing; does nothing otherwise.
set -euo pipefail

required=(libssl-dev libsqlite3-dev libphonenumber-dev libjemalloc-dev pkg-config)
missing=()
for package in "${required[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "Installing missing Debian packages: ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo_cmd=(sudo)
    else
        echo "error: ${missing[*]} missing and not running as root (no sudo); install them with apt-get." >&2
        exit 1
    fi
fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
