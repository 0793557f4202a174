package dev.verydeep.report;

import dev.verydeep.report.Doc.Block;
import dev.verydeep.report.Doc.Heading;
import dev.verydeep.report.Doc.Image;
import dev.verydeep.report.Doc.Para;
import dev.verydeep.report.Doc.Table;
import dev.verydeep.core.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;

/**
 * Self-contained HTML: inline style, PNGs as {@code data:image/png;base64,} URIs, no external resource. The output is
 * also well-formed XML (XHTML syntax: every element closed, text escaped), so an XML parser can check it.
 */
public final class Html {
    private static final String STYLE = "body{font-family:sans-serif;margin:2em;max-width:110em}"
            + "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #bbb;padding:0.2em 0.5em;text-align:left;vertical-align:top}"
            + "th{background:#eee}td{font-variant-numeric:tabular-nums}figure{margin:1em 0}img{max-width:100%;border:1px solid #ddd}"
            + "figcaption{font-style:italic;color:#444}";

    private Html() {
    }

    public static String render(List<Block> blocks) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>");
        String title = blocks.stream().filter(x -> x instanceof Heading).map(x -> ((Heading) x).text()).findFirst().orElse("verydeep report");
        b.append(esc(title)).append("</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n");
        for (Block block : blocks) {
            if (block instanceof Heading h) {
                b.append("<h").append(h.level()).append('>').append(esc(h.text())).append("</h").append(h.level()).append(">\n");
            } else if (block instanceof Para p) {
                b.append("<p>").append(esc(p.text())).append("</p>\n");
            } else if (block instanceof Table t) {
                b.append("<table>\n<thead><tr>");
                t.header().forEach(c -> b.append("<th>").append(esc(c)).append("</th>"));
                b.append("</tr></thead>\n<tbody>\n");
                for (List<String> r : t.rows()) {
                    b.append("<tr>");
                    r.forEach(c -> b.append("<td>").append(esc(c)).append("</td>"));
                    b.append("</tr>\n");
                }
                b.append("</tbody>\n</table>\n");
            } else if (block instanceof Image i) {
                b.append("<figure><img src=\"data:image/png;base64,").append(base64(i)).append("\" alt=\"")
                        .append(esc(i.caption())).append("\"/><figcaption>").append(esc(i.caption())).append("</figcaption></figure>\n");
            }
        }
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    private static String base64(Image i) {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(i.file()));
        } catch (IOException e) {
            throw new UserException("cannot read " + i.file() + ": " + e.getMessage(), e);
        }
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        b.append(' ');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
