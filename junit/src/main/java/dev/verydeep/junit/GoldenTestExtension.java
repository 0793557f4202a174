package dev.verydeep.junit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.golden.GoldenFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/** Drives {@link GoldenTest}: one invocation per entry, a {@link GoldenRun} parameter, and a failure when nothing was checked. */
final class GoldenTestExtension implements TestTemplateInvocationContextProvider {
    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, GoldenTest.class)).isPresent();
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        GoldenTest a = AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), GoldenTest.class).orElseThrow();
        GoldenFile file = GoldenFiles.load(a.file());
        List<String> ids = new ArrayList<>(List.of(a.entries()));
        if (ids.isEmpty()) {
            file.entries().forEach(e -> ids.add(e.path("id").asText()));
        }
        ids.forEach(file::entry); // an unknown id fails here, naming the file's ids
        return ids.stream().map(id -> invocation(file, id));
    }

    private static TestTemplateInvocationContext invocation(GoldenFile file, String id) {
        GoldenRun run = new GoldenRun(file, id);
        return new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int index) {
                JsonNode e = file.entry(id);
                return String.format(Locale.ROOT, "%s: %s %s +- %s %s", id, e.path("metric").asText(), e.path("value").asText(),
                        e.path("tolerance").asText(), e.path("unit").asText());
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new Resolver(run), (AfterTestExecutionCallback) ctx -> {
                    if (ctx.getExecutionException().isEmpty() && run.checks() == 0) {
                        throw new AssertionFailedError("@GoldenTest " + ctx.getDisplayName() + " checked nothing: call GoldenRun.check(result) "
                                + "with what the test measured");
                    }
                });
            }
        };
    }

    private record Resolver(GoldenRun run) implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            return p.getParameter().getType() == GoldenRun.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
            return run;
        }
    }
}
