/**
 * Trained nets to ONNX (classifier and fully convolutional forms) and foreign VGG graphs to the dense form. Depends on core (net description) and trainer (run directories).
 */
package dev.verydeep.onnx;
