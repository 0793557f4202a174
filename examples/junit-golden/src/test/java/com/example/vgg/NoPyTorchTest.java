package com.example.vgg;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The test class path holds ONNX Runtime and verydeep, no DJL or PyTorch (the pom's enforcer rule checks the artifacts). */
class NoPyTorchTest {
    @Test
    void noDjlClassAndNoDjlJar() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("ai.djl.engine.Engine"));
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        assertFalse(path.contains("/ai/djl/"), path);
    }
}
