/** Deterministic generators of the fashion-caltech and fashion-voc benchmarks from the Fashion-MNIST test split. */
package dev.verydeep.transfer.make;
