package dev.verydeep.transfer.protocol;

import java.util.List;

/** The C chosen on the validation split and the validation score of every C tried (in grid order). */
public record CSelection(double chosen, List<Double> grid, List<Double> validationScores) {
    /** The first C with the highest score (ties go to the smaller, more regularised C when the grid ascends); NaN scores lose. */
    static CSelection best(List<Double> grid, double[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (Double.isNaN(scores[best]) || scores[i] > scores[best]) {
                best = Double.isNaN(scores[i]) ? best : i;
            }
        }
        return new CSelection(grid.get(best), grid, java.util.Arrays.stream(scores).boxed().toList());
    }
}
