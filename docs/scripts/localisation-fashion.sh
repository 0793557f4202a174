#!/usr/bin/env bash
# Tables 8 and 9 of the paper in miniature on fashion-loc (issue 8): every number in docs/localisation-fashion.md
# comes from the results files this writes. Usage: docs/scripts/localisation-fashion.sh OUT_DIR [CLASSIFIER]
# CLASSIFIER: a shipped reference net's model (e.g. reference/D-37/model-dense.onnx) to start the fashion-loc
# classifier from, instead of training A and D briefly here (width 1/8); its width and FC width are read from the
# run.json beside it.
# Steps already done (their result file exists) are skipped, so a killed run continues where it stopped.
set -euo pipefail
R="${1:?usage: $0 OUT_DIR [CLASSIFIER]}"
FROM="${2:-}"
mkdir -p "$R"
V="$(cd "$(dirname "$0")/../.." && pwd)/verydeep"
T=(--threads 2 --no-progress --seed 1)
step() { local done_file="$1"; shift; [ -e "$done_file" ] && { echo "skip: $*"; return; }; echo "+ verydeep $*"; "$V" "$@"; }

# 1. A classifier for the items: A on Fashion-MNIST (S=37), then D from A at S=55 (the paper's A -> D recipe); or the
#    given reference net.
if [ -n "$FROM" ]; then
  run_json="$(dirname "$FROM")/run.json"
  [ -f "$run_json" ] || { echo "localisation-fashion: $run_json not found: the classifier's width and FC width are read from the run.json beside $FROM" >&2; exit 2; }
  net_setting() { sed -n "s/^ *\"$1\" : \([0-9.]*\),\$/\1/p" "$run_json" | head -n 1; }
  NET=(--width "$(net_setting width)" --fc-width "$(net_setting fcWidth)")
  [ -n "${NET[1]}" ] && [ -n "${NET[3]}" ] || { echo "localisation-fashion: $run_json names no width or fcWidth" >&2; exit 2; }
else
  NET=(--width 0.125)
  step "$R/A-37/weights.vdw" train --config A "${NET[@]}" --crop 32 --scale 37 --data fashion-mnist --epochs 4 --patience 1 "${T[@]}" --out "$R/A-37" --force
  step "$R/D-fm/weights.vdw" train --config D "${NET[@]}" --crop 32 --scale 55 --data fashion-mnist --limit 30000 --init-from "$R/A-37" --epochs 2 "${T[@]}" --out "$R/D-fm" --force
  FROM="$R/D-fm"
fi
# 2. The localisation scenes, and the classification net fine-tuned on them at S=37: in miniature S=37 is the
#    analog of the paper's S=256 (crop/S = 32/37 = 224/256), so the central crop sees most of the scene as in the paper.
step "$R/fashion-loc/verydeep-dataset.json" make-dataset fashion-loc --images 3000 --seed 1 --out "$R/fashion-loc"
DATA="voc:$R/fashion-loc"
step "$R/D-cls-37/weights.vdw" train --config D "${NET[@]}" --crop 32 --scale 37 --data "$DATA:trainval" --init-from "$FROM" --lr 1e-2 --epochs 40 --patience 3 "${T[@]}" --eval-data "$DATA:test" --out "$R/D-cls-37" --force
# 3. Localisation nets (Appendix A): last layer random, Euclidean loss. lr 1e-2, not the paper's 1e-3: these runs have
#    about 2,000 iterations, not the paper's hundreds of thousands (measured: at 1e-3 the boxes barely move).
#    The S=55 net starts from the S=37 classifier (the paper starts each from a classifier trained at its own scale).
LOC=(--data "$DATA:trainval" --epochs 40 --patience 4 --lr 1e-2 --batch 32 "${T[@]}" --eval-data "$DATA:test")
for v in "scr fc 37" "pcr fc 37" "pcr all 37" "pcr all 55"; do
  set -- $v
  step "$R/loc-$1-$2-$3/weights.vdw" train-loc --from "$R/D-cls-37" --regression "$1" --finetune "$2" --scale "$3" "${LOC[@]}" --out "$R/loc-$1-$2-$3" --force
done
# 4. ONNX, checked against DJL.
for run in D-cls-37 loc-scr-fc-37 loc-pcr-fc-37 loc-pcr-all-37 loc-pcr-all-55; do
  step "$R/$run/model-dense.onnx" export "$R/$run"
  for m in model.onnx model-dense.onnx; do echo "+ verydeep verify $R/$run/$m"; "$V" verify "$R/$run/$m"; done
done
# 5. Table 8: protocol 1 (central crop, ground-truth class), Q=37.
for run in loc-scr-fc-37 loc-pcr-fc-37 loc-pcr-all-37; do
  step "$R/t8-$run/results.json" localize --loc "$R/$run/model.onnx" --data "$DATA:test" --scales 37 --protocol center-crop-gt --threads 2 --no-progress --out "$R/t8-$run"
done
# 6. Table 9: full protocol (dense boxes, top-5 classes from the dense classifier, greedy merge): each net at its own
#    scale and at both, and the fusion of the two nets.
CLS="$R/D-cls-37/model-dense.onnx"
step "$R/t9-37/results.json" localize --loc "$R/loc-pcr-all-37/model-dense.onnx" --cls "$CLS" --data "$DATA:test" --scales 37 --flip --protocol full --threads 2 --no-progress --out "$R/t9-37"
step "$R/t9-55/results.json" localize --loc "$R/loc-pcr-all-55/model-dense.onnx" --cls "$CLS" --data "$DATA:test" --scales 55 --flip --protocol full --threads 2 --no-progress --out "$R/t9-55"
step "$R/t9-fusion/results.json" localize --loc "$R/loc-pcr-all-37/model-dense.onnx,$R/loc-pcr-all-55/model-dense.onnx" --cls "$CLS" --data "$DATA:test" --scales 37,55 --flip --protocol full --threads 2 --no-progress --out "$R/t9-fusion"
echo "done: $R"
