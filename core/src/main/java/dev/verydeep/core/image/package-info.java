/**
 * Pixels on the way into a net: decoding any image file to planar RGB ({@link dev.verydeep.core.image.ImageDecoder}),
 * PIL-compatible rescaling ({@link dev.verydeep.core.image.Resize}), the training-set colour statistics and the
 * paper's training augmentation ({@link dev.verydeep.core.image.Augmenter}).
 */
package dev.verydeep.core.image;
