#!/usr/bin/env bash
# Lands one finished reference net in the repository: exports the run (ONNX, verified against DJL on its test sets)
# and copies its dense graph (which also gives the centre crop at Q = crop), run.json, log.jsonl and curves.png
# to reference/NET/ (removing its carried-over checkpoint, reference/in-training/NET.tar), then prints the size.
#   docs/scripts/land-reference-net.sh RUNS NET      (RUNS: the folder of docs/scripts/reference-family.sh)
#   docs/scripts/land-reference-net.sh --into localisation RUNS NET
#       (into reference/localisation/NET: the nets of docs/scripts/localisation-fashion.sh RUNS reference/D-37/...)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
into=""
if [ "${1:-}" = --into ]; then into="${2:?--into takes a folder under reference/}/"; shift 2; fi
runs="${1:?usage: land-reference-net.sh [--into SUB] RUNS NET}"; net="${2:?usage: land-reference-net.sh [--into SUB] RUNS NET}"
run="$runs/$net"
[ -f "$run/weights.vdw" ] || { echo "land-reference-net: $run has not finished training (no weights.vdw)" >&2; exit 1; }
"$root/verydeep" export "$run" --force
"$root/verydeep" verify "$run/model-dense.onnx"
dest="$root/reference/$into$net"
mkdir -p "$dest"
cp "$run/model-dense.onnx" "$run/run.json" "$run/log.jsonl" "$run/curves.png" "$dest/"
# Its carried-over checkpoint (carry-reference-net.sh), if any, is no longer needed.
if [ -z "$into" ] && [ -f "$root/reference/in-training/$net.tar" ]; then
  rm -f "$root/reference/in-training/$net.tar"
  rmdir "$root/reference/in-training" 2>/dev/null || true
fi
du -sh "$dest" "$root/reference"
