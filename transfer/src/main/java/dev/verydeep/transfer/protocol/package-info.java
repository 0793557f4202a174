/** The VOC (per-class AP, mAP) and Caltech (random splits, mean class recall) protocols, with C chosen on a 20% validation split. */
package dev.verydeep.transfer.protocol;
