#!/usr/bin/env bash
# Nightly backup with retention: 14 daily backups, the Sunday ones for 8 weeks, the first of each
# month for 12 months. Expired backups are deleted (they hold personal data).
# Usage: caredesk-backup.sh DIR   (configuration from CAREDESK_CONFIG)
set -euo pipefail
dir=${1:?backup directory}
bin=${CAREDESK_BIN:-/opt/caredesk/bin/caredesk}
mkdir -p "$dir"
chmod 700 "$dir"
ext=db
case "$(grep -E '^\s*url\s*=' "${CAREDESK_CONFIG:-/dev/null}" 2>/dev/null || true)" in
  *postgresql://*) ext=pgdump ;;
esac
today=$(date +%F)
"$bin" backup --output "$dir/caredesk-$today.$ext" --log-level warn
chmod 600 "$dir/caredesk-$today.$ext"

now=$(date +%s)
for f in "$dir"/caredesk-????-??-??.*; do
  [ -e "$f" ] || continue
  day=$(basename "$f" | sed -E 's/^caredesk-([0-9-]{10})\..*/\1/')
  age=$(( (now - $(date -d "$day" +%s)) / 86400 ))
  keep=0
  [ "$age" -lt 14 ] && keep=1
  [ "$(date -d "$day" +%u)" = 7 ] && [ "$age" -lt 56 ] && keep=1
  [ "$(date -d "$day" +%d)" = 01 ] && [ "$age" -lt 366 ] && keep=1
  [ "$keep" = 1 ] || rm -f -- "$f"
done
