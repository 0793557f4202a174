"""What the golden-file generators in this folder share: the Fashion-MNIST test files' checksums, and how an entry
keeps what `verydeep golden spread` measured for it when it is written again."""

# The Debian dataset-fashion-mnist test files every generated entry evaluates on.
TEST_SHA256 = {
    "t10k-images-idx3-ubyte.gz": "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
    "t10k-labels-idx1-ubyte.gz": "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
}
# The fields golden spread writes (the rest of an entry is structure, written by the generator).
MEASURED = ("value", "tolerance", "spread", "environment", "codeVersion", "seconds")


def keep_measured(entry, old, same_measure=lambda a, b: a == b):
    """The entry as written, with what golden spread measured for `old` (the entry before, or None) when their
    measures are the same by `same_measure`."""
    if old and same_measure(old.get("measure", {}), entry["measure"]):
        entry.update({k: old[k] for k in MEASURED if k in old})
    return entry
