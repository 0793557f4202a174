#!/usr/bin/env bash
# Makes the small trained nets the quick golden entries evaluate (golden-data/.../golden/nets/). A golden value
# measured on a fixed net moves only by ONNX Runtime's last bits from machine to machine; one measured after a
# training run moves with every kernel choice. So the quick transfer and localisation entries start from these
# nets, and training is checked on its own (verydeep-fashion-quick.json, mean over seeds).
#   golden-data/scripts/make-fixture-nets.sh WORK     (then commit golden-data/.../golden/nets/)
# Same commands, same machine, same bytes of weights; another machine trains other weights: rerun the golden
# spread of the entries (verydeep golden spread) after remaking them.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:?usage: make-fixture-nets.sh WORK}"
nets="$root/golden-data/src/main/resources/dev/verydeep/golden/nets"
vd() { echo "+ verydeep $*" >&2; "$root/verydeep" "$@"; }

# Transfer source: A at width 1/16 on Fashion-MNIST classes 0-4 (the transfer targets use classes 5-9).
vd train --config A --width 0.0625 --crop 32 --scale 37 --data fashion-mnist:train:classes=0-4 --epochs 3 --batch 64 \
   --val-fraction 0 --seed 1 --threads 1 --no-progress --out "$work/transfer-src" --force
vd export "$work/transfer-src" --force

# Localisation: a D classifier on 400 fashion-loc scenes, then PCR box regression fine-tuned from it (all layers).
vd make-dataset fashion-loc --images 400 --out "$work/fl"
vd train --config D --width 0.0625 --crop 32 --scale 37 --data "voc:$work/fl:trainval" --epochs 5 --batch 32 --lr 0.02 \
   --val-fraction 0 --seed 1 --threads 1 --no-progress --out "$work/loc-cls" --force
vd train-loc --from "$work/loc-cls" --regression pcr --finetune all --data "voc:$work/fl:trainval" --epochs 15 --batch 32 \
   --lr 0.01 --val-fraction 0 --seed 1 --threads 1 --no-progress --out "$work/loc-pcr" --force
vd export "$work/loc-cls" --force
vd export "$work/loc-pcr" --force

for n in transfer-src loc-cls loc-pcr; do
  mkdir -p "$nets/$n"
  cp "$work/$n/model-dense.onnx" "$work/$n/run.json" "$work/$n/log.jsonl" "$nets/$n/"
done
echo "fixture nets written to $nets" >&2
