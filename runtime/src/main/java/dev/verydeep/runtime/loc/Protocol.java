package dev.verydeep.runtime.loc;

import dev.verydeep.core.UserException;

/** The paper's two localisation test protocols (Appendix A). */
public enum Protocol {
    /** Protocol 1: one central crop at Q, the ground-truth class's box (PCR) or the single box (SCR). */
    CENTER_CROP_GT("center-crop-gt"),
    /** Protocol 2: dense boxes over the whole image at every scale, greedy merge, top-5 classes of the classifier. */
    FULL("full");

    private final String id;

    Protocol(String id) {
        this.id = id;
    }

    public static Protocol parse(String s) {
        for (Protocol p : values()) {
            if (p.id.equals(s.trim())) {
                return p;
            }
        }
        throw new UserException("--protocol '" + s + "': expected full or center-crop-gt");
    }

    @Override
    public String toString() {
        return id;
    }
}
