#!/bin/bash
# Throughput of `verydeep localize` for two builds of the CLI, in alternating rounds, and a check that both
# wrote the same results (results.json without timing/provenance, predictions.jsonl byte for byte).
#
#   bench/scripts/localize-speed.sh BEFORE.jar AFTER.jar DATA PCR_RUN SCR_RUN CLS_RUN OUT [ROUNDS]
#
# BEFORE/AFTER.jar: cli/target/verydeep-cli.jar of each build, copied with its lib/ folder beside it.
# DATA: a VOC folder (make-dataset fashion-loc); *_RUN: exported train-loc / train runs. Settings: protocol 1
# (PCR net, Q=37), full (PCR, Q=37, flip), fusion (PCR + SCR, Q=37,55, flip); 1 ORT thread. Per run it prints
# the test's images/s (localize's own wall clock), the process's CPU seconds (user + sys) and its wall seconds.
set -euo pipefail
[ $# -ge 7 ] || { sed -n 2,10p "$0"; exit 2; }
before=$1 after=$2 data=$3 pcr=$4 scr=$5 cls=$6 out=$7 rounds=${8:-4}
mkdir -p "$out"
run() { # run JAR SETTING DIR
  local args
  case $2 in
    p1) args="--loc $pcr/model.onnx --scales 37 --protocol center-crop-gt" ;;
    full) args="--loc $pcr/model-dense.onnx --cls $cls/model-dense.onnx --scales 37 --flip --protocol full" ;;
    fusion) args="--loc $pcr/model-dense.onnx,$scr/model-dense.onnx --cls $cls/model-dense.onnx --scales 37,55 --flip --protocol full" ;;
  esac
  python3 - "$3" java -Xmx3g -XX:MaxDirectMemorySize=1g -Dai.djl.offline=true -jar "$1" localize $args --data "voc:$data:test" \
      --threads 1 --no-progress --force --out "$3" <<'PY'
import json, resource, subprocess, sys, time
t0 = time.time()
rc = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
wall = time.time() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
t = json.load(open(sys.argv[1] + "/results.json"))["timing"] if rc == 0 else {"images_per_second_wall": float("nan")}
print(f"rc={rc} img_s={t['images_per_second_wall']:.1f} cpu_s={ru.ru_utime + ru.ru_stime:.2f} process_s={wall:.2f}")
PY
}
for r in $(seq 1 "$rounds"); do
  for s in p1 full fusion; do
    order="before after"; [ $((r % 2)) -eq 0 ] && order="after before"
    for w in $order; do
      jar=$before; [ "$w" = after ] && jar=$after
      echo "$r $s $w $(run "$jar" $s "$out/$w-$s-$r") load=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out/bench.txt"
    done
    python3 - "$out/before-$s-$r" "$out/after-$s-$r" <<'PY'
import json, sys
def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items()
                if k not in ("timing", "provenance", "peak_rss_mb", "seconds", "files", "batch") and not k.endswith("_seconds")}
    return [strip(v) for v in x] if isinstance(x, list) else x
a, b = sys.argv[1:]
same = strip(json.load(open(a + "/results.json"))) == strip(json.load(open(b + "/results.json"))) \
    and open(a + "/predictions.jsonl", "rb").read() == open(b + "/predictions.jsonl", "rb").read()
print(("identical: " if same else "DIFFERENT: ") + a + " " + b)
PY
  done
done
