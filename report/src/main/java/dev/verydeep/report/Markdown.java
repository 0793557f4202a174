package dev.verydeep.report;

import dev.verydeep.report.Doc.Block;
import dev.verydeep.report.Doc.Heading;
import dev.verydeep.report.Doc.Image;
import dev.verydeep.report.Doc.Para;
import dev.verydeep.report.Doc.Table;
import java.util.List;
import java.util.function.Function;

/** Markdown rendering; images are linked by the relative name {@code images} gives them (the writer copies them there). */
public final class Markdown {
    private Markdown() {
    }

    public static String render(List<Block> blocks, Function<Image, String> imageLink) {
        StringBuilder b = new StringBuilder();
        for (Block block : blocks) {
            if (block instanceof Heading h) {
                b.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
            } else if (block instanceof Para p) {
                b.append(p.text()).append("\n\n");
            } else if (block instanceof Table t) {
                row(b, t.header());
                b.append('|');
                t.header().forEach(x -> b.append("---|"));
                b.append('\n');
                t.rows().forEach(r -> row(b, r));
                b.append('\n');
            } else if (block instanceof Image i) {
                b.append("![").append(cell(i.caption())).append("](").append(imageLink.apply(i)).append(")\n\n*")
                        .append(i.caption()).append("*\n\n");
            }
        }
        return b.toString();
    }

    private static void row(StringBuilder b, List<String> cells) {
        b.append('|');
        for (String c : cells) {
            b.append(' ').append(cell(c)).append(" |");
        }
        b.append('\n');
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("[", "\\[").replace("]", "\\]").replace("\n", " ");
    }
}
