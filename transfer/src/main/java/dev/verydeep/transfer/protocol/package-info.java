/**
 * The VOC (per-class AP, mAP) and Caltech (random splits, mean class recall) protocols, with C chosen on a 20% validation
 * split. Their SVMs are {@link dev.verydeep.transfer.protocol.OneVsRest} work: two rounds of independent units (class x C,
 * then class at the chosen C), computed in this thread or by another runner (Spark tasks in the spark module).
 */
package dev.verydeep.transfer.protocol;
