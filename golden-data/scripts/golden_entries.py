"""What the golden-file generators in this folder share: the Fashion-MNIST test files' checksums, and how an entry
keeps what `verydeep golden spread` measured for it when it is written again."""
import hashlib
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The Debian dataset-fashion-mnist test files every generated entry evaluates on.
TEST_SHA256 = {
    "t10k-images-idx3-ubyte.gz": "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
    "t10k-labels-idx1-ubyte.gz": "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
}
# The floor of a transfer entry (mAP or mean class recall in pp) and what it rests on.
TRANSFER_FLOOR = (2.4, "ONNX Runtime picks its kernels by CPUID (no switch), so another CPU's descriptors cannot be "
                       "made here. LIBLINEAR stops at its tolerance, so descriptors that differ in their last bits give "
                       "SVM scores ~1e-4 apart and a close validation choice of C can flip: under ONNX Runtime's other "
                       "optimisation levels the 120-scene fashion-voc mAP on this net moved by 1.57 pp (a class's C "
                       "flipped). Floor: that measured move x 1.5 = 2.4 pp, so a C flip on another CPU passes while a "
                       "broken extraction or SVM (tens of points) fails.")
# The floors of a localisation entry (error in pp; mean IoU) and what they rest on: ONNX Runtime's MLAS picks its
# kernels by CPUID, with no switch, so this machine cannot make another CPU's boxes.
LOC_ERROR_FLOOR = (0.067, "ONNX Runtime picks its kernels by CPUID (no switch). ONNX Runtime and DJL give these nets' "
                          "box outputs within 5e-7 relative, so a sample's verdict changes only if its IoU is within "
                          "~1e-6 of 0.5 or its class within ~1e-6 of the top-5 boundary; floor: one such sample of "
                          "the 1500 (0.067 pp), so two or more changed samples fail.")
LOC_IOU_FLOOR = (1e-6, "ONNX Runtime picks its kernels by CPUID (no switch). ONNX Runtime and DJL give these nets' box "
                       "outputs within 5e-7 relative (verydeep verify); floor 1e-6 absolute on a mean IoU of 0.15-0.28, "
                       "several times the IoU change that implies.")


def localize_command(loc, cls, data, qs, protocol, out, flip):
    """One `verydeep localize` of the loc net(s) LOC on the fashion-loc test split in folder DATA at scales QS into OUT;
    the full protocol takes its classes from the dense classifier CLS (protocol 1 uses the ground-truth class)."""
    words = ["localize", "--loc", loc, "--data", "voc:%s:test" % data, "--scales", qs, "--protocol", protocol,
             "--threads", "1", "--no-progress", "--out", out]
    if protocol == "full":
        words[3:3] = ["--cls", cls]
    return words + (["--flip"] if flip else [])


# The fields golden spread writes (the rest of an entry is structure, written by the generator).
MEASURED = ("value", "tolerance", "spread", "environment", "codeVersion", "seconds")


def model_sha256(entry):
    """SHA-256 of each checkout file ({repo}/PATH: a shipped reference net) the entry's commands read; golden check
    compares them before it reruns the entry, so a net trained again cannot meet the old net's numbers."""
    words = sorted({p for c in entry["measure"].get("commands", []) for w in c for p in w.split(",") if p.startswith("{repo}/")})
    return {w: sha256(os.path.join(ROOT, w[len("{repo}/"):])) for w in words}


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def keep_measured(entry, old, same_measure=lambda a, b: a == b):
    """The entry as written (with the hashes of the nets it reads), with what golden spread measured for `old` (the
    entry before, or None) when their measures are the same by `same_measure` and they read the same nets."""
    models = model_sha256(entry)
    if models:
        entry["modelSha256"] = models
    if old and same_measure(old.get("measure", {}), entry["measure"]) and old.get("modelSha256") == entry.get("modelSha256"):
        entry.update({k: old[k] for k in MEASURED if k in old})
    return entry
