/**
 * JMH benchmarks and the golden-number regression harness.
 */
package dev.verydeep.bench;
