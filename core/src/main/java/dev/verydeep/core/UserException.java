package dev.verydeep.core;

/**
 * An error caused by what the user asked for or pointed at (a bad flag, a missing file, a corrupt
 * image). The CLI prints its message as one line, without a stack trace unless {@code --verbose}.
 * Messages name the thing (file, flag) and what is wrong with it.
 */
public class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
