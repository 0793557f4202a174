/** Appendix B descriptors from dense ONNX models: multi-scale, mirrored, pooled, stacked or averaged, L2-normalised. */
package dev.verydeep.transfer.extract;
