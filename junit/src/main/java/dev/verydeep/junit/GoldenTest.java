package dev.verydeep.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs entries of a golden file as tests: the method runs once per entry ({@link #entries}, or every entry of the
 * file), named after it ({@code id: metric golden +- tolerance unit}), and gets a {@link GoldenRun} for that entry; the
 * test measures and hands the result to {@link GoldenRun#check}. A test that checks nothing fails.
 *
 * <pre>{@code
 * @GoldenTest(file = "golden/vgg-fashion.json", entries = "vgg-fashion-dense-Q64-top1")
 * void denseTop1(GoldenRun golden) {
 *     golden.check(Protocol.builder().setModels(vgg).setData("fashion-mnist-sample:test")
 *             .setMethod(Method.DENSE).setScales(64).build().evaluate());
 * }
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(GoldenTestExtension.class)
public @interface GoldenTest {
    /** The golden file: a path, a class-path resource of the tests, or a golden-data name. */
    String file();

    /** The entry ids to run (default: every entry of the file, in file order). */
    String[] entries() default {};
}
