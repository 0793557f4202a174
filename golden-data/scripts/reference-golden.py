#!/usr/bin/env python3
"""Writes the entries of golden-data's verydeep-fashion-reference.json for the reference nets in reference/.

   golden-data/scripts/reference-golden.py            # entries for every net with a reference/NET/model-dense.onnx
   ./verydeep golden spread --file golden-data/src/main/resources/dev/verydeep/golden/verydeep-fashion-reference.json \
       --work /tmp/spread-ref [--entry ID...]          # then: values and tolerances, measured
   golden-data/scripts/reference-golden.py --measured-only   # leaves out entries not measured yet

Each entry evaluates a shipped net (fixed: it moves only by ONNX Runtime's last bits) with the paper's test protocol on
the 10,000 Fashion-MNIST test images: Table 3 (dense, one scale: Q = S, or 55 for jittered S in [37;73]), Table 4
(dense, three scales: S-5, S, S+5, the paper's S-32, S, S+32 at crop 32/224; jittered: 37, 55, 73), Table 5 (jittered
nets: dense + flips, multi-crop and both on the first 1000 images) and Table 6 (fusions, as `verydeep fuse` of the
members' evaluations: the fixed S = 37 nets dense + flip at 32, 37, 42 and the jittered nets dense + flip at 37, 55, 73
on every image; the jittered nets' "both" evaluations of Table 5). The control A-again-37 (A trained again from A-37's
layers), once in reference/, gets its Table 3 and 4 entries only.

Every command writes where `verydeep suite --reference --out DIR` writes the same evaluation (DIR/table3/A-37, ...,
DIR/table6/D-E-dense), so `verydeep golden check --file verydeep-fashion-reference.json --from DIR` reads a finished
suite run. When reference/localisation/ holds the localisation nets made from D-37 (docs/scripts/localisation-fashion.sh),
the entries of verydeep-fashion-reference-loc.json are written too: Table 8's PCR row fine-tuned in all layers and
Table 9's rows (each net at its own scale, and their fusion) on the 1,500 fashion-loc test scenes. Only the structure
is written here; values come from `golden spread`. An entry whose measure is unchanged
but for its output folders keeps what was measured for it (the folder does not change the number).
"""
import json
import os
import sys

from golden_entries import LOC_ERROR_FLOOR, ROOT, TEST_SHA256, TRANSFER_FLOOR, keep_measured, localize_command

GOLDEN_DIR = os.path.join(ROOT, "golden-data/src/main/resources/dev/verydeep/golden")
GOLDEN = os.path.join(GOLDEN_DIR, "verydeep-fashion-reference.json")
GOLDEN_LOC = os.path.join(GOLDEN_DIR, "verydeep-fashion-reference-loc.json")
ORDER = ["A-37", "A-LRN-37", "A-again-37", "B-37", "C-37", "C-55", "C-jit", "D-37", "D-55", "D-jit", "E-37", "E-55", "E-jit"]
# The control of the LRN and depth findings (A trained again from A-37's layers, as the deeper nets were): Tables 3 and 4
# only, as `suite --reference` evaluates it; no member of the fixed-S fusion, no transfer source.
CONTROL = "A-again-37"


def scales(net):
    s = net.rsplit("-", 1)[1]
    if s == "jit":
        return "37:73", [55], [37, 55, 73]
    s = int(s)
    return str(s), [s], [s - 5, s, s + 5]


def model(net):
    return "{repo}/reference/%s/model-dense.onnx" % net


def entry(eid, config, train_s, qs, method, metric, commands, folder, quick, limit=None):
    field = "/headline/top1_error" if metric == "top1Error" else "/headline/top5_error"
    return {
        "id": eid, "config": config, "trainS": train_s, "testQ": ",".join(map(str, qs)), "method": method,
        "metric": metric, "split": "fashion-mnist:test (%s images)" % (limit or 10000), "value": 0, "unit": "%",
        "tolerance": 0,
        "measure": {"kind": "command", "commands": commands, "file": folder + "/results.json", "field": field, "scale": 100,
                    "resolution": "/headline/fragile_%s_error" % ("top1" if metric == "top1Error" else "top5")},
        "seed": None, "data": "fashion-mnist:test", "dataSha256": TEST_SHA256, "codeVersion": "?", "seconds": 0,
        "quick": quick,
    }


def evaluate(net, qs, method, flip, folder, limit=None):
    """One `verydeep eval` of a net into {out}/FOLDER, as the suite's step of that folder runs it."""
    c = ["eval", "--model", model(net), "--data", "fashion-mnist:test", "--method", method,
         "--scales", ",".join(map(str, qs)), "--threads", "1", "--no-progress", "--out", "{out}/" + folder]
    if flip:
        c.append("--flip")
    if limit:
        c += ["--limit", str(limit)]
    return c


def fusion(nets, qs, method, members, folder, limit=None):
    """The members' evaluations into {out}/MEMBERS[i], then `verydeep fuse` of them into {out}/FOLDER (the suite's step)."""
    cs = [evaluate(n, qs(n), method, True, m, limit) for n, m in zip(nets, members)]
    return cs + [["fuse"] + ["{out}/" + m for m in members] + ["--out", "{out}/" + folder, "--force"]]


# CI's quick check runs every net's single-scale rows and the three-scale rows of these two (a three-scale evaluation
# of 10,000 images takes 30-45 s per net on 2 cores, and CI runs the quick check twice); `golden check` runs them all.
QUICK_MULTI_SCALE = ("A-37", "D-37")


def entries(nets):
    out = []
    for net in nets:
        config = net.rsplit("-", 1)[0]
        train_s, single, multi = scales(net)
        for metric in ("top1Error", "top5Error"):
            short = "top1" if metric == "top1Error" else "top5"
            t3, t4 = "table3/" + net, "table4/" + net
            out.append(entry("%s-dense-Q%s-%s" % (net, single[0], short), config, train_s, single, "dense", metric,
                             [evaluate(net, single, "dense", False, t3)], t3, True))
            out.append(entry("%s-dense-Q%s-%s" % (net, ",".join(map(str, multi)), short), config, train_s, multi,
                             "dense", metric, [evaluate(net, multi, "dense", False, t4)], t4, net in QUICK_MULTI_SCALE))
        if net.endswith("-jit"):
            for method, label in (("dense", "dense+flip"), ("multicrop", "multi-crop"), ("both", "dense+multi-crop")):
                folder = "table5/%s-%s" % (net, method)
                out.append(entry("%s-%s-Q37,55,73-top1" % (net, label), config, train_s, [37, 55, 73], label, "top1Error",
                                 [evaluate(net, [37, 55, 73], method, True, folder, 1000)], folder, method == "dense", 1000))
    multi = lambda n: scales(n)[2]
    fixed = [n for n in nets if n.endswith("-37") and n != CONTROL]
    jit = [n for n in nets if n.endswith("-jit")]
    # Neither fusion is a quick entry: each evaluates its members on all 10,000 images at three scales with flips
    # (4-6 minutes at 1 thread), which CI's two quick checks would pay twice.
    for group, suffix, qs in ((fixed, "-37", "32,37,42"), (jit, "", "37,55,73")):
        if len(group) >= 2:
            name = "+".join(group)
            folder = "table6/%s%s-dense" % ("-".join(n.rsplit("-", 1)[0] for n in group), suffix)
            members = ["table6/%s-dense" % n for n in group]
            out.append(entry("fusion-%s-dense+flip-Q%s-top1" % (name, qs), "fusion:" + name, scales(group[0])[0],
                             [int(q) for q in qs.split(",")], "dense+flip", "top1Error",
                             fusion(group, multi, "dense", members, folder), folder, False))
    if len(jit) >= 2:
        name = "+".join(jit)
        folder = "table6/%s-both" % "-".join(n.rsplit("-", 1)[0] for n in jit)
        members = ["table5/%s-both" % n for n in jit]
        out.append(entry("fusion-%s-dense+multi-crop-Q37,55,73-top1" % name, "fusion:" + name, "37:73", [37, 55, 73],
                         "dense+multi-crop", "top1Error", fusion(jit, multi, "both", members, folder, 1000), folder, False,
                         1000))
    return out + transfer_entries(nets)


# Table 11 from the S=37 nets, as `suite --reference` runs it (its folders: data/, features/NAME-*, table11/).
TRANSFER_NETS = (["A-37"], ["D-37"], ["E-37"], ["D-37", "E-37"])
QUICK_TRANSFER = (["E-37"],)
REFERENCE_TRANSFER_FLOOR = (TRANSFER_FLOOR[0], "Measured on golden-data's transfer-src net and applied here: "
                            + TRANSFER_FLOOR[1])


def transfer_entries(nets):
    sets = {"caltech": ["make-dataset", "fashion-caltech", "--out", "{out}/data/fashion-caltech", "--per-class", "100"],
            "voc": ["make-dataset", "fashion-voc", "--out", "{out}/data/fashion-voc", "--images", "400"]}
    out = []
    for group in TRANSFER_NETS:
        if not all(n in nets for n in group):
            continue
        name = "+".join(n.rsplit("-", 1)[0] for n in group)
        models = ",".join(model(n) for n in group)
        for kind, spec, protocol, extra, field, metric in (
                ("caltech", "caltech", "caltech101", ["--splits", "3", "--train-per-class", "30", "--test-per-class", "50"],
                 "/meanClassRecall", "meanClassRecall"),
                ("voc", "voc", "voc2007", [], "/mAP", "mAP")):
            feats = "{out}/features/%s-%s" % (name, kind)
            result = "table11/%s-%s.json" % (name, protocol)
            commands = [sets[kind],
                        ["extract", "--model", models, "--data", "%s:{out}/data/fashion-%s" % (spec, kind), "--scales",
                         "32,37,42", "--aggregate", "average", "--out", feats],
                        ["transfer", "--features", feats, "--protocol", protocol] + extra + ["--out", "{out}/" + result]]
            e = {"id": "table11-%s-fashion-%s-%s" % (name, kind, metric), "config": "+".join(group), "trainS": "37",
                 "testQ": "32,37,42", "method": "dense descriptors (scales averaged) + LIBLINEAR one-vs-rest SVMs",
                 "metric": metric,
                 "split": ("fashion-caltech (classes 5-9 of fashion-mnist:test, 100 per class), 3 splits of 30 train / 50 "
                           "test per class") if kind == "caltech" else
                 "fashion-voc --images 400 (trainval -> test, VOC2007 11-point AP, difficult ignored)",
                 "value": 0, "unit": "%", "tolerance": 0,
                 "measure": {"kind": "command", "commands": commands, "file": result, "field": field, "scale": 100},
                 "seed": None, "data": "targets made from fashion-mnist:test by make-dataset --seed 1; the reference nets "
                 "saw these classes in training (the paper's setting: ILSVRC nets saw most Caltech-101 and VOC classes)",
                 "dataSha256": TEST_SHA256, "codeVersion": "?", "seconds": 0, "quick": group in QUICK_TRANSFER}
            e["floor"], e["floorNote"] = REFERENCE_TRANSFER_FLOOR
            out.append(e)
    return out


# Tables 8 and 9 from the reference D-37 (docs/scripts/localisation-fashion.sh OUT reference/D-37/model-dense.onnx):
# the fashion-loc classifier fine-tuned from D-37 and the two PCR nets fine-tuned in all layers, at S = 37 and 55.
# The SCR and PCR FC1-2 rows of Table 8 are not shipped (two more nets): docs/localisation-fashion.md has them.
LOC_NETS = ("D-cls-37", "loc-pcr-all-37", "loc-pcr-all-55")
REFERENCE_LOC_FLOOR = (LOC_ERROR_FLOOR[0], "Measured on golden-data's loc nets and applied here: " + LOC_ERROR_FLOOR[1])


def loc_model(net):
    return "{repo}/reference/localisation/%s/model-dense.onnx" % net


def loc_entries():
    if not all(os.path.isfile(os.path.join(ROOT, "reference/localisation", n, "model-dense.onnx")) for n in LOC_NETS):
        return []
    data = ["make-dataset", "fashion-loc", "--images", "3000", "--seed", "1", "--out", "{out}/data/fashion-loc"]

    def localize(nets, qs, protocol, folder):
        return [data, localize_command(",".join(loc_model(n) for n in nets), loc_model("D-cls-37"), "{out}/data/fashion-loc",
                                       qs, protocol, "{out}/" + folder, protocol == "full")]

    one = "PCR, all layers fine-tuned; protocol 1: central crop, box of the ground-truth class"
    full = ("PCR, all layers fine-tuned; full protocol: dense boxes + flip, top-5 classes of D-cls-37's dense "
            "posteriors, greedy merge")
    gt = ("gtClassLocalisationError", "/headline/gt_class_loc_error")
    top5 = ("top5LocalisationError", "/headline/top5_loc_error")
    rows = [("table8-PCR-all-37-Q37-protocol1", "8", "loc-pcr-all-37", "37", "37", one, "center-crop-gt",
             ["loc-pcr-all-37"], [("localisationError", gt[1])]),
            ("table9-PCR-all-37-Q37", "9", "loc-pcr-all-37", "37", "37", full, "full", ["loc-pcr-all-37"], [top5, gt]),
            ("table9-PCR-all-55-Q55", "9", "loc-pcr-all-55", "55", "55", full, "full", ["loc-pcr-all-55"], [top5, gt]),
            ("table9-fusion-PCR-all-37+55-Q37,55", "9", "fusion:loc-pcr-all-37+loc-pcr-all-55", "37/55", "37,55", full,
             "full", ["loc-pcr-all-37", "loc-pcr-all-55"], [top5, gt])]
    out = []
    for name, table, config, train_s, qs, method, protocol, nets, metrics in rows:
        folder = "table%s/%s" % (table, name.split("-", 1)[1])
        for metric, field in metrics:
            e = {"id": "%s-%s" % (name, metric), "config": config, "trainS": train_s, "testQ": qs, "method": method,
                 "metric": metric, "split": "fashion-loc --images 3000 test (1500 scenes)", "value": 0, "unit": "%",
                 "tolerance": 0,
                 "measure": {"kind": "command", "commands": localize(nets, qs, protocol, folder),
                             "file": folder + "/results.json", "field": field, "scale": 100},
                 "seed": None, "data": "make-dataset fashion-loc --images 3000 --seed 1 (scenes made from "
                 "fashion-mnist:test); nets: reference/localisation/ (fixed; from reference/D-37)",
                 "dataSha256": TEST_SHA256, "codeVersion": "?", "seconds": 0, "quick": True}
            e["floor"], e["floorNote"] = REFERENCE_LOC_FLOOR
            out.append(e)
    return out


def without_folders(measure):
    """A measure with its output folders left out: each command's --out value and the result file's name."""
    m = {k: v for k, v in measure.items() if k != "file"}
    m["commands"] = [[w for i, w in enumerate(c) if not (i > 0 and c[i - 1] == "--out") and w != "--force" and
                      not (c[0] == "fuse" and w.startswith("{out}/"))] for c in measure["commands"]]
    return m


def same_but_folders(a, b):
    """Whether two measures differ at most in their output folders (the folder does not change the number)."""
    return without_folders(a) == without_folders(b)


def main():
    # --measured-only: leave out entries golden spread has not measured yet (a value of 0 would FAIL every check);
    # the workflow is: write all, measure the new ones on a copy with golden spread --entry, copy back, then this.
    measured_only = "--measured-only" in sys.argv[1:]
    nets = [n for n in ORDER if os.path.isfile(os.path.join(ROOT, "reference", n, "model-dense.onnx"))]
    if not nets:
        sys.exit("no reference/NET/model-dense.onnx yet")
    write(GOLDEN, entries(nets), measured_only, {
        "table": "fashion-reference",
        "title": "The reference nets (reference/: configs A to E at crop 32, width 3/8, FC 512, trained to convergence "
                 "on Fashion-MNIST) under the paper's test protocol (Tables 3-6: all 10,000 test images, Table 5's rows "
                 "and the fusion that uses them the first 1,000) and their features transferred (Table 11)",
        "data": "Fashion-MNIST (Debian dataset-fashion-mnist)",
        "toleranceNote": "The nets are fixed (shipped ONNX files), so each value moves only where ONNX Runtime's last bits "
                         "decide an image: tolerances by golden spread's rule, whose resolution term is the share of "
                         "images whose two best posteriors are within 1e-4.",
    })
    loc = loc_entries()
    if loc:
        write(GOLDEN_LOC, loc, measured_only, {
            "table": "fashion-reference-loc",
            "title": "Localisation (Appendix A) from the reference net D-37: Table 8's PCR row (all layers fine-tuned, "
                     "protocol 1) and Table 9's rows (full protocol) on fashion-loc, with the nets shipped in "
                     "reference/localisation/",
            "data": "Fashion-MNIST (Debian dataset-fashion-mnist); fashion-loc generated from its test split by "
                    "verydeep make-dataset",
            "toleranceNote": "The nets are fixed (shipped ONNX files): values and tolerances by golden spread's rule over "
                             "the numeric environments; no seed term (nothing is trained).",
        })


def write(path, es, measured_only, about):
    """Writes a golden file of entries ES (keeping what was measured for an unchanged entry) with the fields ABOUT."""
    old = {}
    if os.path.isfile(path):
        old = {e["id"]: e for e in json.load(open(path))["entries"]}
    es = [keep_measured(e, old.get(e["id"]), same_but_folders) for e in es]
    if measured_only:
        waiting = [e["id"] for e in es if "spread" not in e]
        es = [e for e in es if "spread" in e]
        if waiting:
            print("not yet measured, left out: " + ", ".join(waiting))
        if not es:
            print("nothing measured yet: %s not written" % path)
            return
    doc = {"format": 2, "table": about["table"], "source": "verydeep", "title": about["title"], "data": about["data"],
           "toleranceNote": about["toleranceNote"], "entries": es}
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print("%d entries -> %s" % (len(es), path))
    listed(os.path.basename(path))


def listed(name):
    """Adds golden file NAME to golden-data's index.json (what `golden check` runs by default) if it is not there."""
    index_path = os.path.join(GOLDEN_DIR, "index.json")
    index = json.load(open(index_path))
    if name not in index["files"]:
        index["files"].append(name)
        with open(index_path, "w") as f:
            json.dump(index, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
