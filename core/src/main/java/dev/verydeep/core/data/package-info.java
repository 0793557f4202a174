/**
 * Labelled image sources ({@link dev.verydeep.core.data.ImageSource}): Fashion-MNIST from its IDX files, image
 * folders with a sub-folder per class (ImageNet, Caltech, user data), subsets and stratified splits, and the
 * one text form that names a data set on every command line ({@link dev.verydeep.core.data.DatasetSpec}).
 */
package dev.verydeep.core.data;
