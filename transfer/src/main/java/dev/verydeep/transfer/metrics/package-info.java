/** Transfer metrics: VOC average precision (2007 11-point, 2010+ area) and mean class recall, with the tie and undefined-case rules. */
package dev.verydeep.transfer.metrics;
