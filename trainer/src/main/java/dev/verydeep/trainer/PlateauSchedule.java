package dev.verydeep.trainer;

/**
 * The paper's learning-rate schedule (section 3.1): divide by 10 when validation accuracy has not
 * improved for {@code patience} epochs; after {@code maxDecreases} decreases, the next such plateau
 * stops training. Mutable; its state is saved in every checkpoint.
 */
public final class PlateauSchedule {
    /** What to do after an epoch. */
    public enum Decision { CONTINUE, DECREASE, STOP }

    private final int patience;
    private final int maxDecreases;
    private double best;
    private int epochsWithoutImprovement;
    private int decreases;

    public PlateauSchedule(int patience, int maxDecreases, double best, int epochsWithoutImprovement, int decreases) {
        this.patience = Math.max(1, patience);
        this.maxDecreases = maxDecreases;
        this.best = best;
        this.epochsWithoutImprovement = epochsWithoutImprovement;
        this.decreases = decreases;
    }

    public static PlateauSchedule fresh(int patience, int maxDecreases) {
        return new PlateauSchedule(patience, maxDecreases, Double.NEGATIVE_INFINITY, 0, 0);
    }

    public Decision observe(double validationAccuracy) {
        if (validationAccuracy > best) {
            best = validationAccuracy;
            epochsWithoutImprovement = 0;
            return Decision.CONTINUE;
        }
        if (++epochsWithoutImprovement < patience) {
            return Decision.CONTINUE;
        }
        if (decreases >= maxDecreases) {
            return Decision.STOP;
        }
        decreases++;
        epochsWithoutImprovement = 0;
        return Decision.DECREASE;
    }

    public double best() {
        return best;
    }

    public int epochsWithoutImprovement() {
        return epochsWithoutImprovement;
    }

    public int decreases() {
        return decreases;
    }

    public int maxDecreases() {
        return maxDecreases;
    }
}
