/**
 * ONNX Runtime sessions (CUDA provider when present, CPU otherwise) and the paper's test protocol: dense, multi-crop, scales, flips, fusion, top-1/top-5.
 */
package dev.verydeep.runtime;
