package org.matcalc.examples;

import java.io.PrintStream;

/**
 * A runnable example: {@code bin/matcalc example NAME} prints what it computes and checks it.
 * Every example is registered in {@link Examples} and run by a test.
 */
public interface Example {
    /** The name typed on the command line, e.g. {@code babylonian}. */
    String name();

    /** One line for the list printed by {@code matcalc example}. */
    String summary();

    /**
     * Runs the example, printing its figures to {@code out}; writes any files (plots) under
     * {@code outputDir}. Returns true when every check it makes passed.
     */
    boolean run(PrintStream out, java.nio.file.Path outputDir) throws Exception;
}
