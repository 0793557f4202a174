#!/usr/bin/env bash
# Trains the reference family (configs A, A-LRN, B, C, D, E at one width, crop 32) on the 60,000 Fashion-MNIST
# training images (10% held out for the plateau schedule), one net after another, each resumable: run again after a
# kill and every net continues from its last checkpoint; finished nets are skipped.
#   docs/scripts/reference-family.sh [--lanes 2] OUT [NET...]     (default: the whole family, in the order below)
# --lanes 2: the nets after A-37 in two lanes side by side, each at 1 thread (D and E's chains; the others): on these
# 2 cores two 1-thread runs side by side do 11% more whole epochs per second than one 2-thread run (docs/benchmarks.md).
# Each lane logs to OUT/lane-N.log. A run keeps the thread count it started with when resumed (bit-identical resume).
# The recipe (section 3.1 of the paper, batch 128): A from Glorot; B, C, D, E, A-LRN from A (first four conv + three
# FC layers, the paper's way) at lr 1e-2; S=55 nets from the same config's S=37 net, jittered S in [37,73] from the
# S=55 net, at lr 1e-3 (as the paper did for speed). The learning rate is divided by 10 when validation accuracy has
# not improved for PATIENCE epochs; the run stops at the next plateau after the third division, or after 74 epochs.
# A net's parent comes from OUT, or, on a fresh machine, from reference/ when the shipped one was made by this recipe;
# a net shipped by this recipe is not trained again; a net carried over unfinished (reference/in-training/NET.tar, by
# carry-reference-net.sh) resumes from its checkpoint there.
set -euo pipefail
shopt -s inherit_errexit  # a parent that cannot be found stops the script (it is looked up in $(...))
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
lanes=1
if [ "${1:-}" = --lanes ]; then lanes="${2:?--lanes takes 1 or 2}"; shift 2; fi
case "$lanes" in 1|2) ;; *) echo "reference-family: --lanes must be 1 or 2, got $lanes" >&2; exit 2 ;; esac
out="${1:?usage: reference-family.sh [--lanes 2] OUT [NET...]}"; shift
nets=("$@")
# A-again-37, the control of the LRN and depth findings, is A itself started from A-37 the way the deeper nets are;
# it comes right after A-LRN-37, so that the findings against it (A-LRN, B, E) are measured before C's chain.
[ ${#nets[@]} -gt 0 ] || nets=(A-37 B-37 E-37 D-37 A-LRN-37 A-again-37 C-37 D-55 E-55 C-55 D-jit E-jit C-jit)
# Width 3/8 (E: 3.18M parameters), FC 512: at width 1/4 the nets underfit (B-37 errs on 6.5% of its own training
# images); at 3/8 A improves at lr 1e-2 for longer and ends higher (reference/README.md). FC 512 keeps the ONNX files
# near 100 MB (FC 1024 at this width: ~150 MB) and is still 2.7x the 192 conv features, as the paper's 4096 is 8x 512.
width=0.375 fc_width=512 budget=74
threads=$((3 - lanes))  # 2 threads in one lane, 1 in each of two (A-37 before the lanes: 2)
common=(--width "$width" --fc-width "$fc_width" --crop 32 --data fashion-mnist --batch 128 --epochs "$budget" --seed 1
        --no-progress)
# Patience 4 at lr 1e-2: with 2, A's first division came after 13 epochs while its training loss was still falling
# (6,000 validation images move by +-0.5 points between epochs) and every net underfit (reference/README.md).
# The lr 1e-3 stages start from a converged net and peaked within 3-4 epochs with 2, which they keep.
patience_from_scratch=4 patience_finetune=2

shipped() {  # NET -> true when reference/NET is this recipe's net: its width, FC width and epoch budget
  local run_json="$root/reference/$1/run.json"  # (the nets of the earlier recipe: width 0.25, budget 60)
  grep -q "\"width\" : $width," "$run_json" 2>/dev/null && grep -q "\"fcWidth\" : $fc_width," "$run_json" \
    && grep -q "\"epochs\" : $budget," "$run_json"
}

parent() {  # NET -> the run folder or shipped model it starts from
  if [ -f "$out/$1/weights.vdw" ]; then echo "$out/$1"; return; fi
  if shipped "$1"; then echo "$root/reference/$1/model-dense.onnx"; return; fi
  echo "reference-family: $1 (the parent of the next net) is neither trained in $out nor shipped by this recipe" >&2
  exit 1
}

recipe() {  # NET -> the train flags of that net
  local config="${1%-*}" scale="${1##*-}"
  local flags=(--config "${config%-again}")
  case "$scale" in
    37) flags+=(--scale 37 --patience "$patience_from_scratch")
        [ "$config" = A ] || flags+=(--init-from "$(parent A-37)")
        [ "$config" != A-again ] || flags+=(--init-layers paper) ;;
    55) flags+=(--scale 55 --patience "$patience_finetune" --init-from "$(parent "$config-37")") ;;
    jit) flags+=(--scale-jitter 37:73 --patience "$patience_finetune" --init-from "$(parent "$config-55")") ;;
  esac
  echo "${flags[@]}"
}

train_net() {  # NET: trains it, resumes it, or says why not
  local net="$1" run="$out/$1" flags
  if [ -f "$run/weights.vdw" ]; then echo "reference-family: $net finished" >&2; return; fi
  # Carried over by carry-reference-net.sh from a session that ended before it finished: resumed, not started again.
  local carried="$root/reference/in-training/$net.tar"
  if [ ! -f "$run/checkpoint.json" ] && [ -f "$carried" ]; then
    echo "reference-family: $net resumes from $carried" >&2
    rm -rf "$run" && mkdir -p "$run" && tar -xf "$carried" -C "$run"
  fi
  # Landed already (a fresh machine has no run folders): not trained again.
  if [ ! -f "$run/checkpoint.json" ] && shipped "$net"; then echo "reference-family: $net shipped in reference/" >&2; return; fi
  if [ -f "$run/checkpoint.json" ]; then
    "$root/verydeep" train --resume "$run" --no-progress
  else
    flags="$(recipe "$net")"
    # shellcheck disable=SC2086
    "$root/verydeep" train $flags "${common[@]}" --threads "$threads" --out "$run" --force
  fi
}

train_all() { local net; for net in "$@"; do train_net "$net"; done; }

if [ "$lanes" = 1 ]; then train_all "${nets[@]}"; exit; fi
# Two lanes: A-37 (every net's parent) first, then D and E's chains in one lane and the rest in the other, each in
# the given order. A lane that fails stops the script with its status once the other has finished.
lane1=() lane2=()
for net in "${nets[@]}"; do
  case "$net" in
    A-37) threads=2 train_all A-37 ;;  # alone, so at 2 threads
    D-*|E-*) lane1+=("$net") ;;
    *) lane2+=("$net") ;;
  esac
done
# The build is shared: start it once here, not in both lanes at the same moment.
"$root/verydeep" --version >/dev/null
mkdir -p "$out"
train_all "${lane1[@]}" >> "$out/lane-1.log" 2>&1 & first=$!
train_all "${lane2[@]}" >> "$out/lane-2.log" 2>&1 & second=$!
status=0
wait "$first" || status=$?
wait "$second" || status=$?
exit "$status"
