package dev.basalt.scripting;

/** Texts Redis 7.0 answers from scripts, in one place for the engine and the command bridge. */
public final class ScriptErrors {
    public static final String NOT_ALLOWED = "ERR This Redis command is not allowed from script";
    public static final String UNKNOWN_COMMAND = "ERR Unknown Redis command called from script";
    public static final String WRONG_ARITY = "ERR Wrong number of args calling Redis command from script";
    public static final String WRITE_FROM_READ_ONLY = "ERR Write commands are not allowed from read-only scripts.";
    public static final String NO_ARGUMENTS = "ERR Please specify at least one argument for this redis lib call";
    public static final String BAD_ARGUMENT = "ERR Lua redis lib command arguments must be strings or integers";
    /** What a killed script or function answers (Redis 7.0 says SCRIPT KILL for both). */
    public static final String KILLED = "ERR Script killed by user with SCRIPT KILL...";
    public static final String BUSY_SCRIPT =
            "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    public static final String BUSY_FUNCTION =
            "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
    public static final String NOT_BUSY = "NOTBUSY No scripts in execution right now.";
    public static final String NO_SCRIPT = "NOSCRIPT No matching script. Please use EVAL.";

    public static final int LOG_DEBUG = 0;
    public static final int LOG_VERBOSE = 1;
    public static final int LOG_NOTICE = 2;
    public static final int LOG_WARNING = 3;

    private ScriptErrors() {
    }
}
