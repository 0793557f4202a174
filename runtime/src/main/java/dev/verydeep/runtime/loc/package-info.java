/**
 * Localisation testing (Appendix A of the paper): box-regression nets applied to a central crop (protocol 1)
 * or densely over the whole image at several scales (protocol 2), box sets merged greedily after OverFeat,
 * rated by the classification net's dense multi-scale posteriors, and scored with the IoU >= 0.5 criterion as
 * top-5 localisation error, error with the ground-truth class given, and classification top-5 error.
 */
package dev.verydeep.runtime.loc;
