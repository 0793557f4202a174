/**
 * Shared ground: typed user errors ({@link dev.verydeep.core.UserException}), and sub-packages for the net description, data sets, images and provenance.
 */
package dev.verydeep.core;
