package dev.verydeep.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of a resumable plan ({@code demo}, {@code suite}): a {@code verydeep} command line, the files it reads
 * whose hashes decide whether an earlier result still holds, and the files whose presence says it finished.
 *
 * @param name         unique within the plan; names the step's stamp file
 * @param args         the command line of a fresh run (verb first)
 * @param inputs       files made by earlier steps that this one reads (hashed into its stamp)
 * @param outputs      files the command writes; all must exist for the step to count as done
 * @param trainRun     for a training step, its run folder: an unfinished run there is resumed, not restarted
 * @param cleanOnRerun a folder to delete before re-running a step whose inputs or command changed (its command
 *                     refuses or would resume an existing one); null if none
 * @param always       run every time (the report, which reads whatever the other steps left)
 */
record Step(String name, List<String> args, List<Path> inputs, List<Path> outputs, Path trainRun, Path cleanOnRerun, boolean always) {
    Step {
        args = List.copyOf(args);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** A step that is neither a training run nor needs cleaning. */
    static Step of(String name, List<String> args, List<Path> inputs, List<Path> outputs) {
        return new Step(name, args, inputs, outputs, null, null, false);
    }

    /** The command line as printed and recorded: {@code verydeep ARGS}. */
    String command() {
        return "verydeep " + String.join(" ", args);
    }

    /** The arguments that continue an interrupted training run: {@code --out RUN --force} becomes {@code --resume RUN}. */
    List<String> resumeArgs() {
        List<String> a = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String s = args.get(i);
            if (s.equals("--out")) {
                i++;
            } else if (!s.equals("--force")) {
                a.add(s);
            }
        }
        a.addAll(List.of("--resume", trainRun.toString()));
        return a;
    }
}
