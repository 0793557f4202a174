/**
 * Pooled penultimate-layer descriptors and LIBLINEAR SVMs with the VOC (mAP) and Caltech (mean class recall) protocols.
 */
package dev.verydeep.transfer;
