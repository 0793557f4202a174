package dev.verydeep.trainer;

import dev.verydeep.core.UserException;
import java.util.Locale;

/**
 * A bad value of one setting of a training run. The message names the setting in words ({@code batchSize} ->
 * "batch size") followed by the problem; a front end that names settings otherwise (the CLI's flags) rebuilds the
 * message from {@link #setting()} and {@link #problem()}.
 *
 * <p>{@link #setting()} is a component of {@link TrainSettings}, or {@link #RUN_FOLDER}, {@link #FORCE} or
 * {@link #CLASSES} (the net's class count).
 */
public final class SettingException extends UserException {
    /** The folder of a run (a new one, or one resumed). */
    public static final String RUN_FOLDER = "runFolder";
    /** Replacing an existing run folder ({@link TrainingRun#start}'s {@code force}). */
    public static final String FORCE = "force";
    /** The class count of the net. */
    public static final String CLASSES = "classes";
    /** The training scale (S, or the jittering range). */
    public static final String SCALE = "scale";

    private final String setting;
    private final String problem;

    /** {@code problem} follows the setting's name: "must be at least 1, got 0", or ": ..." to follow it with a colon. */
    public SettingException(String setting, String problem) {
        this(setting, problem, null);
    }

    public SettingException(String setting, String problem, Throwable cause) {
        super(join(words(setting), problem), cause);
        this.setting = setting;
        this.problem = problem;
    }

    /** The setting's name as the library knows it, e.g. {@code batchSize}. */
    public String setting() {
        return setting;
    }

    /** What is wrong, to follow the setting's name. */
    public String problem() {
        return problem;
    }

    /** {@code name} followed by the problem: "NAME must ..." or "NAME: ...". */
    public String messageFor(String name) {
        return join(name, problem);
    }

    private static String join(String name, String problem) {
        return name + (problem.startsWith(":") ? "" : " ") + problem;
    }

    /** {@code batchSize} -> {@code batch size}. */
    static String words(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
}
