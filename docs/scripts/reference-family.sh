#!/usr/bin/env bash
# Trains the reference family (configs A, A-LRN, B, C, D, E at width 1/4, crop 32) on the 60,000
# Fashion-MNIST training images (10% held out for the plateau schedule), one net after another, each
# resumable: run again after a kill and every net continues from its last checkpoint; finished nets are skipped.
#   docs/scripts/reference-family.sh OUT [NET...]     (default: the whole family, in the order below)
# The recipe (section 3.1 of the paper, batch 128, until the third learning-rate division or 60 epochs):
# A from Glorot; B, C, D, E, A-LRN from A (first four conv + three FC layers, the paper's way);
# S=55 nets from the same config's S=37 net, jittered S in [37,73] from the S=55 net (lr 1e-3, as in the paper).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:?usage: reference-family.sh OUT [NET...]}"; shift
nets=("$@")
[ ${#nets[@]} -gt 0 ] || nets=(A-37 D-37 E-37 D-55 D-jit E-55 E-jit B-37 A-LRN-37 C-37 C-55 C-jit)
common=(--width 0.25 --crop 32 --data fashion-mnist --batch 128 --epochs 60 --seed 1 --threads 2 --no-progress)

recipe() {  # NET -> the train flags of that net
  local config="${1%-*}" scale="${1##*-}"
  local flags=(--config "$config")
  case "$scale" in
    37) flags+=(--scale 37); [ "$config" = A ] || flags+=(--init-from "$out/A-37") ;;
    55) flags+=(--scale 55 --init-from "$out/$config-37") ;;
    jit) flags+=(--scale-jitter 37:73 --init-from "$out/$config-55") ;;
  esac
  echo "${flags[@]}"
}

for net in "${nets[@]}"; do
  run="$out/$net"
  if [ -f "$run/weights.vdw" ]; then echo "reference-family: $net finished" >&2; continue; fi
  if [ -f "$run/checkpoint.json" ]; then
    "$root/verydeep" train --resume "$run" --no-progress
  else
    # shellcheck disable=SC2046
    "$root/verydeep" train $(recipe "$net") "${common[@]}" --out "$run" --force
  fi
done
