package dev.verydeep.report;

import dev.verydeep.report.Doc.Block;
import dev.verydeep.report.Doc.Image;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Writes {@value #MARKDOWN} (with its PNGs copied into {@code images/}) and the self-contained {@value #HTML} into a folder. */
public final class Report {
    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";
    public static final String IMAGES = "images";

    /** What was written and what it was made from. */
    public record Written(Path markdown, Path html, ResultTree tree) {
    }

    private Report() {
    }

    public static Written write(List<Path> inputs, Path out) {
        return write(inputs, List.of(), PerImage.NONE, out);
    }

    /**
     * The report of the result files under {@code inputs} and {@code references} (folders of shipped reference nets,
     * read like the inputs; their nets are labelled as reference nets); {@code perImage} reads per-image outcomes for
     * the findings' paired uncertainty.
     */
    public static Written write(List<Path> inputs, List<Path> references, PerImage perImage, Path out) {
        List<Path> all = new java.util.ArrayList<>(inputs);
        all.addAll(references);
        ResultTree tree = ResultTree.scan(all, out);
        if (tree.isEmpty()) {
            throw new UserException("no result files under " + inputs + " (expected training run folders with run.json, "
                    + "evaluation/fusion/localisation folders with results.json, transfer results-*.json or JMH JSON)");
        }
        try {
            Files.createDirectories(out.resolve(IMAGES));
        } catch (IOException e) {
            throw new UserException("cannot create " + out.resolve(IMAGES) + ": " + e.getMessage(), e);
        }
        ReportBuilder builder = new ReportBuilder(tree, PaperMatch.load(), Path.of("").toAbsolutePath().normalize(), out.resolve(IMAGES),
                references, perImage);
        List<Block> blocks = builder.blocks();
        Map<Path, String> links = new HashMap<>();
        String md = Markdown.render(blocks, (Image i) -> links.computeIfAbsent(i.file(), f -> copy(f, out, links.size() + 1)));
        Path mdFile = out.resolve(MARKDOWN);
        Path htmlFile = out.resolve(HTML);
        AtomicFiles.writeString(mdFile, md);
        AtomicFiles.writeString(htmlFile, Html.render(blocks));
        return new Written(mdFile, htmlFile, tree);
    }

    private static String copy(Path png, Path out, int n) {
        if (png.toAbsolutePath().normalize().getParent().equals(out.resolve(IMAGES).toAbsolutePath().normalize())) {
            return IMAGES + "/" + png.getFileName(); // a chart drawn there
        }
        String name = String.format("%02d-%s-%s", n, png.getParent().getFileName(), png.getFileName());
        try {
            Files.copy(png, out.resolve(IMAGES).resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UserException("cannot copy " + png + " into " + out.resolve(IMAGES) + ": " + e.getMessage(), e);
        }
        return IMAGES + "/" + name;
    }
}
