package dev.verydeep.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.verydeep.trainer.PlateauSchedule.Decision;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlateauScheduleTest {
    @Test
    void decreasesAfterPatienceAndStopsAfterMaxDecreases() {
        PlateauSchedule s = PlateauSchedule.fresh(2, 3);
        List<Decision> d = new ArrayList<>();
        double[] acc = {0.5, 0.6, 0.6, 0.59, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7};
        for (double a : acc) {
            d.add(s.observe(a));
        }
        assertEquals(List.of(Decision.CONTINUE, Decision.CONTINUE, Decision.CONTINUE, Decision.DECREASE, Decision.CONTINUE,
                Decision.CONTINUE, Decision.DECREASE, Decision.CONTINUE, Decision.DECREASE, Decision.CONTINUE, Decision.STOP,
                Decision.STOP), d);
        assertEquals(3, s.decreases());
        assertEquals(0.7, s.best());
    }

    @Test
    void restoredStateContinuesWhereItWas() {
        PlateauSchedule s = new PlateauSchedule(2, 3, 0.8, 1, 3);
        assertEquals(Decision.STOP, s.observe(0.79));
    }
}
