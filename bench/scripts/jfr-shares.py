"""Where `verydeep localize` spends its time, from a JFR recording (java -XX:StartFlightRecording=filename=F.jfr,settings=profile).

    python3 bench/scripts/jfr-shares.py F.jfr

Each sample (jdk.ExecutionSample every 10 ms, jdk.NativeMethodSample every 20 ms, so counted twice) goes to the
innermost frame that names a phase; ONNX Runtime calls go to the net that made them. Native samples are taken
whether or not the thread is on a CPU, so on a loaded machine they measure wall time in ONNX Runtime.
"""
import collections
import re
import subprocess
import sys

PHASES = [
    ('box decode', ['DenseBoxes.decode']),
    ('image decode', ['ImageDecoder.decode']),
    ('rescale', ['Preprocessor.rescale', 'Resize.']),
    ('input fill', ['Preprocessor.write']),
    ('merge+scoring', ['GreedyMerge', 'Localization$Scorer']),
    ('session open/warm-up', ['Sessions.open', 'warmUp', 'LocNet.open', 'Evaluator.open', 'OnnxModels.load', 'classifierMetadata']),
    ('report', ['LocReport']),
    ('annotations read', ['VocDataset.open', 'LocData.open']),
]

out = subprocess.run(['jfr', 'print', '--events', 'jdk.ExecutionSample,jdk.NativeMethodSample', '--stack-depth', '80', sys.argv[1]],
                     capture_output=True, text=True, check=True).stdout
counts = collections.Counter()
for event in out.split('jdk.')[1:]:
    weight = 2 if event.startswith('NativeMethodSample') else 1
    m = re.search(r'stackTrace = \[(.*?)\n\s*\]', event, re.S)
    if not m:
        continue
    frames = [line.strip() for line in m.group(1).split('\n') if line.strip()]
    thread = re.search(r'sampledThread = "([^"]*)"', event)
    thread = thread.group(1) if thread else '?'
    thread = 'decode pool' if thread.startswith('verydeep-decode') else thread
    stack = '\n'.join(frames)
    phase = 'box nets, ONNX Runtime' if 'LocNet.run' in stack else 'classifier, ONNX Runtime' if 'Evaluator.infer' in stack else None
    for frame in ([] if phase else frames):
        phase = next((name for name, keys in PHASES if any(k in frame for k in keys)), None)
        if phase:
            break
    counts[(thread, phase or 'other')] += weight
total = sum(counts.values())
for (thread, phase), n in counts.most_common():
    print(f'{100 * n / total:5.1f}%  {n:5d}  {thread:12s} {phase}')
