#!/usr/bin/env bash
# SVM training time and peak memory: the LIBLINEAR C tool (liblinear-train, Debian liblinear-tools) against
# LIBLINEAR-java fed FeatureNodes and our shared-cursor feed, on the same descriptors (SvmVsCTool make).
# Each run is its own process under /usr/bin/time -v (wall time, peak RSS). Writes OUT/runs.tsv and prints
# the median and range per tool and the weight agreement.
#   bench/scripts/svm-vs-c-tool.sh [OUT]    env: N=5000 D=4096 REPS=3 PROBLEMS="binary ovr" XMX=3g EPS=0.1
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/target/svm-vs-c-tool}"
N="${N:-5000}" D="${D:-4096}" REPS="${REPS:-3}" PROBLEMS="${PROBLEMS:-binary ovr}" XMX="${XMX:-3g}" EPS="${EPS:-0.1}"
command -v liblinear-train >/dev/null || { echo "svm-vs-c-tool: liblinear-train not found (apt-get install liblinear-tools)" >&2; exit 1; }
mkdir -p "$out"

# Reactor build (no install), then the project's own classes first and the third-party jars after them.
(cd "$root" && ./mvnw -B -o -q package -pl bench -am -DskipTests \
  && ./mvnw -B -o -q dependency:build-classpath -pl bench -Dmdep.includeScope=runtime -Dmdep.outputFile="$out/deps.cp") >&2
cp="$root/bench/target/classes:$root/transfer/target/classes:$root/core/target/classes:$(tr ':' '\n' < "$out/deps.cp" | grep -v /dev/verydeep/ | paste -sd:)"
tool() { java -Xmx"$XMX" -cp "$cp" dev.verydeep.bench.SvmVsCTool "$@"; }

# The descriptors are made once per size (seed 42, 5 classes); the stamp says which size is on disk.
if [ "$(cat "$out/made" 2>/dev/null)" != "$N $D" ]; then
  tool make "$out" "$N" "$D" 5 42 && echo "$N $D" > "$out/made"
fi

timed() {  # timed NAME PROBLEM REP command...: one row of runs.tsv
  local name=$1 problem=$2 rep=$3; shift 3
  local log="$out/$problem-$name-$rep"
  /usr/bin/time -v -o "$log.time" "$@" > "$log.out"
  local wall rss train
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$log.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$log.time")
  train=$(sed -n 's/.*train_ms=\([0-9]*\).*/\1/p' "$log.out"); train=${train:--}
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$problem" "$name" "$rep" "$wall" "$rss" "$train" | tee -a "$out/runs.tsv"
}

printf 'problem\ttool\trep\twall_s\tpeak_rss_mib\tjava_train_ms\n' > "$out/runs.tsv"
for problem in $PROBLEMS; do
  for rep in $(seq "$REPS"); do
    # The C tool with our settings (-s 1 = L2R_L2LOSS_SVC_DUAL, C 1, eps 0.1 by default, bias 1); and the same with eps 1e9,
    # which stops after one pass: its wall time is the C tool's reading of the text file.
    timed c-tool "$problem" "$rep" liblinear-train -q -s 1 -c 1 -e "$EPS" -B 1 "$out/$problem.libsvm" "$out/$problem-c.model"
    timed c-tool-load-only "$problem" "$rep" liblinear-train -q -s 1 -c 1 -e 1e9 -B 1 "$out/$problem.libsvm" "$out/$problem-c-load.model"
    for feed in feature-nodes shared-cursor; do
      timed "java-$feed" "$problem" "$rep" java -Xmx"$XMX" -cp "$cp" dev.verydeep.bench.SvmVsCTool train "$out" "$problem" "$feed" "$out/$problem-$feed.w" "$EPS"
    done
  done
done

python3 - "$out/runs.tsv" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
# The C tool's training alone: its wall time minus that of the load-only run of the same repetition.
wall = {(r['problem'], r['tool'], r['rep']): float(r['wall_s']) for r in rows}
rows += [{'problem': p, 'tool': 'c-tool train (- load)', 'rep': rep, 'wall_s': f"{w - wall[(p, 'c-tool-load-only', rep)]:.2f}",
          'peak_rss_mib': '-', 'java_train_ms': '-'} for (p, t, rep), w in list(wall.items()) if t == 'c-tool']
print('\nproblem  tool                     wall s median [range]   peak RSS MiB median [range]   java train ms median [range]')
for key in dict.fromkeys((r['problem'], r['tool']) for r in rows):
    rs = [r for r in rows if (r['problem'], r['tool']) == key]
    def col(c):
        v = [float(r[c]) for r in rs if r[c] != '-']
        return f'{statistics.median(v):g} [{min(v):g}-{max(v):g}]' if v else '-'
    print(f'{key[0]:8} {key[1]:24} {col("wall_s"):24} {col("peak_rss_mib"):28} {col("java_train_ms")}')
PY
echo
for problem in $PROBLEMS; do
  echo "$problem C tool vs java-feature-nodes: $(tool compare "$problem" "$out/$problem-c.model" "$out/$problem-feature-nodes.w")"
  echo "$problem C tool vs java-shared-cursor: $(tool compare "$problem" "$out/$problem-c.model" "$out/$problem-shared-cursor.w")"
  echo "$problem feature-nodes vs shared-cursor: $(tool compare "$problem" "$out/$problem-feature-nodes.w" "$out/$problem-shared-cursor.w")"
done
