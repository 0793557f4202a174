#!/usr/bin/env bash
# Carries an unfinished reference net to the next machine: packs its run.json, log.jsonl, checkpoint.json and newest
# checkpoint (weights and momentum, 14-25 MB at the family's width) into reference/in-training/NET.tar, replacing an
# older one, and prints the size. Commit that file when a session ends before the net finishes: on a fresh machine
# reference-family.sh resumes the net from it (bit-identical, as after a kill) instead of starting it again.
# land-reference-net.sh removes it when the net lands. One tar file, not a run folder: what reads reference/ as result
# files (the report of suite --reference) must not take a net in training for a shipped one.
#   docs/scripts/carry-reference-net.sh RUNS NET      (RUNS: the folder of docs/scripts/reference-family.sh)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:?usage: carry-reference-net.sh RUNS NET}"; net="${2:?usage: carry-reference-net.sh RUNS NET}"
run="$runs/$net"
[ ! -f "$run/weights.vdw" ] || { echo "carry-reference-net: $run has finished training; land it (land-reference-net.sh)" >&2; exit 1; }
[ -f "$run/checkpoint.json" ] || { echo "carry-reference-net: $run has no checkpoint (checkpoint.json) to carry" >&2; exit 1; }
checkpoint="$(sed -n 's/^ *"folder" *: *"\([^"]*\)".*/\1/p' "$run/checkpoint.json")"
[ -n "$checkpoint" ] && [ -d "$run/$checkpoint" ] \
  || { echo "carry-reference-net: $run/checkpoint.json names no checkpoint folder that exists ('$checkpoint')" >&2; exit 1; }
dest="$root/reference/in-training/$net.tar"
mkdir -p "$(dirname "$dest")"
tar -cf "$dest.tmp" -C "$run" run.json log.jsonl checkpoint.json "$checkpoint"
mv "$dest.tmp" "$dest"
echo "carry-reference-net: $net carried after epoch $(sed -n 's/^ *"epoch" *: *\([0-9]*\).*/\1/p' "$run/checkpoint.json" | head -1) to $dest"
du -sh "$dest"
