package dev.verydeep.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.verydeep.core.UserException;
import org.junit.jupiter.api.Test;

class HeadTest {
    private static final NetDescription D = NetDescription.builder().setConfig(Config.parse("D")).optWidth(0.125).optClasses(10).optCrop(32).build();

    @Test
    void boxHeadsChangeOnlyTheLastLayer() {
        NetDescription scr = D.withHead(Head.SCR);
        NetDescription pcr = D.withHead(Head.PCR);
        assertEquals(10, scr.classes());
        assertEquals(4, scr.outputs());
        assertEquals(40, pcr.outputs());
        int last = D.layers().size() - 1;
        assertEquals(D.layers().subList(0, last), pcr.layers().subList(0, last));
        assertEquals(40, pcr.layers().get(last).outChannels());
        long fc = D.fcWidth();
        assertEquals((40 - 10) * (fc + 1), pcr.parameterCount() - D.parameterCount());
        assertEquals("D w0.125 fc512 k10 crop32 box-pcr", pcr.label());
        assertEquals(Head.CLASSES, pcr.withHead(Head.CLASSES).head());
    }

    @Test
    void parsesIdsAndRejectsOthers() {
        assertEquals(Head.PCR, Head.parse(" PCR "));
        assertEquals(Head.SCR, Head.parse("scr"));
        UserException e = assertThrows(UserException.class, () -> Head.parse("boxes"));
        assertEquals("unknown head 'boxes': expected classes, scr or pcr", e.getMessage());
    }
}
