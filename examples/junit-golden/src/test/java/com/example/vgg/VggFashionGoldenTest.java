package com.example.vgg;

import static dev.verydeep.junit.GoldenAssertions.assertMatches;

import dev.verydeep.api.Model;
import dev.verydeep.api.Result;
import dev.verydeep.junit.GoldenRun;
import dev.verydeep.junit.GoldenTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The deployed model reproduces its golden numbers: one assertion, and every entry of the golden file run as a test. */
class VggFashionGoldenTest {
    static Model vgg;
    static Result result;

    @BeforeAll
    static void evaluate() {
        vgg = VggFashion.model();
        result = VggFashion.protocol(vgg).build().evaluate();
        System.out.println(result);
    }

    @Test
    void denseTop1MatchesItsGoldenNumber() {
        assertMatches(result, VggFashion.GOLDEN, VggFashion.TOP1);
    }

    /** One test per entry of the file (top-1 and top-5), each named after its entry. */
    @GoldenTest(file = VggFashion.GOLDEN)
    void everyEntryOfTheGoldenFile(GoldenRun golden) {
        golden.check(result);
    }
}
