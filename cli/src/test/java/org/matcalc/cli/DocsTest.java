package org.matcalc.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The docs are tests: every {@code $ bin/matcalc ...} line in README.md and docs/*.md, inside a
 * fenced block, is run as a user would run it (a fresh JVM, in a directory where
 * {@code examples/} is the project's), and the lines under it must be what it prints, stdout and
 * stderr together. The rules for writing the expected lines (README.md, "The docs are tests"):
 * <ul>
 *   <li>a line {@code ...} stands for any number of lines;</li>
 *   <li>a line ending in {@code ...} must match up to there;</li>
 *   <li>a number written {@code ~1.2e-11} may be any number (timings, figures that vary by
 *   machine): everything else, numbers included, must be printed exactly;</li>
 *   <li>a command with no lines under it must succeed (exit status 0); {@code > file} writes its
 *   output to that file, {@code echo '...' |} gives it standard input, {@code # ...} after it or on
 *   a line of its own is a comment (and ends the expected lines);</li>
 *   <li>{@code <!-- docs-test: skip REASON -->} on the line before a block skips its commands,
 *   saying why (commands that need a server, a cluster or Python).</li>
 * </ul>
 */
class DocsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** One command of a doc and what the doc says it prints. */
    record Example(Path file, int line, String command, List<String> expected, String skip) {
        String where() {
            return ROOT.relativize(file) + ":" + line;
        }
    }

    static List<Path> docs() throws IOException {
        List<Path> out = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    /** The examples of one file, in order. */
    static List<Example> examples(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Example> out = new ArrayList<>();
        boolean inBlock = false;
        String skip = null;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("```")) {
                if (!inBlock) {
                    String before = i > 0 ? lines.get(i - 1).trim() : "";
                    Matcher m = Pattern.compile("<!-- docs-test: skip (.+) -->").matcher(before);
                    skip = m.matches() ? m.group(1) : null;
                }
                inBlock = !inBlock;
                continue;
            }
            if (!inBlock || !l.startsWith("$ ")) {
                continue;
            }
            int start = i;
            StringBuilder cmd = new StringBuilder(l.substring(2));
            // a quote left open continues on the next line (a JSON request over several lines), as does a trailing backslash
            while (i + 1 < lines.size() && (openQuote(cmd) || cmd.toString().endsWith("\\"))) {
                if (openQuote(cmd)) {
                    cmd.append('\n').append(lines.get(++i));
                } else {
                    cmd.setLength(cmd.length() - 1);
                    cmd.append(' ').append(lines.get(++i).trim());
                }
            }
            if (!isCommand(cmd.toString())) {
                continue;
            }
            List<String> expected = new ArrayList<>();
            while (i + 1 < lines.size() && !lines.get(i + 1).startsWith("```") && !lines.get(i + 1).startsWith("$ ")
                    && !lines.get(i + 1).startsWith("# ")) {
                expected.add(lines.get(++i));
            }
            out.add(new Example(file, start + 1, cmd.toString(), expected, skip));
        }
        return out;
    }

    private static boolean isCommand(String c) {
        return c.startsWith("bin/matcalc") || c.startsWith("echo ") && c.contains("| bin/matcalc ");
    }

    /** Whether a single quote is open at the end of the text (double quotes and backslashes outside them count). */
    private static boolean openQuote(CharSequence s) {
        boolean single = false, dbl = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (single) {
                single = c != '\'';
            } else if (c == '\\') {
                i++;
            } else if (c == '"') {
                dbl = !dbl;
            } else if (c == '\'' && !dbl) {
                single = true;
            }
        }
        return single;
    }

    @Test
    void everyExampleInTheDocsPrintsWhatTheDocsSay() throws Exception {
        Path work = Files.createTempDirectory("matcalc-docs");
        Files.createSymbolicLink(work.resolve("examples"), ROOT.resolve("examples"));
        List<String> failures = new ArrayList<>();
        int ran = 0, skipped = 0, files = 0;
        for (Path doc : docs()) {
            List<Example> examples = examples(doc);
            files += examples.isEmpty() ? 0 : 1;
            for (Example e : examples) {
                if (e.skip() != null) {
                    skipped++;
                    continue;
                }
                ran++;
                String problem = run(e, work);
                if (problem != null) {
                    failures.add(e.where() + ": $ " + e.command() + "\n" + problem);
                }
            }
        }
        System.out.println("docs test: " + ran + " examples run in " + files + " files, " + skipped + " skipped as marked");
        assertTrue(ran >= 30, "only " + ran + " examples found");
        assertTrue(failures.isEmpty(), failures.size() + " examples do not print what the docs say:\n\n" + String.join("\n\n", failures));
    }

    /** Runs one example; null when its output matches, else what differs. */
    static String run(Example e, Path work) throws IOException, InterruptedException {
        String command = e.command();
        String stdin = null;
        int pipe = command.lastIndexOf("| bin/matcalc ");
        if (command.startsWith("echo ") && pipe > 0) {
            stdin = String.join(" ", Shell.words(command.substring(0, pipe)).subList(1, 2)) + "\n";
            command = command.substring(pipe + 2);
        }
        List<String> words = Shell.words(command);
        String redirect = null;
        int gt = words.indexOf(">");
        if (gt >= 0) {
            redirect = words.get(gt + 1);
            words = new ArrayList<>(words.subList(0, gt));
        }
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss8m", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        argv.addAll(words.subList(1, words.size()));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(work.toFile()).redirectErrorStream(redirect == null);
        if (redirect != null) {
            pb.redirectOutput(work.resolve(redirect).toFile());
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = redirect == null ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
        int code = p.waitFor();
        List<String> actual = out.lines().map(DocsTest::trimEnd).toList();
        List<String> expected = e.expected().stream().map(DocsTest::trimEnd).toList();
        if (expected.isEmpty() || expected.stream().allMatch(String::isBlank)) {
            return code == 0 ? null : "exit status " + code + ", printed:\n" + String.join("\n", actual);
        }
        if (!matches(expected, 0, actual, 0)) {
            return "the doc says:\n" + String.join("\n", expected) + "\nit prints:\n" + String.join("\n", actual);
        }
        return null;
    }

    private static String trimEnd(String s) {
        return s.replaceAll("\\s+$", "");
    }

    /** Whether expected[i..] matches actual[j..], a line "..." standing for any number of lines. */
    static boolean matches(List<String> expected, int i, List<String> actual, int j) {
        if (i == expected.size()) {
            return j == actual.size();
        }
        if (expected.get(i).trim().equals("...")) {
            for (int k = j; k <= actual.size(); k++) {
                if (matches(expected, i + 1, actual, k)) {
                    return true;
                }
            }
            return false;
        }
        return j < actual.size() && lineMatches(expected.get(i), actual.get(j)) && matches(expected, i + 1, actual, j + 1);
    }

    private static final Pattern NUMBER = Pattern.compile("~?-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?");

    /** One line: exact, but for a trailing "..." (a prefix) and numbers marked ~ (any number). */
    static boolean lineMatches(String expected, String actual) {
        boolean prefix = expected.endsWith("...") && !expected.trim().equals("...");
        String want = prefix ? expected.substring(0, expected.length() - 3) : expected;
        if (!want.contains("~")) {
            return prefix ? actual.startsWith(want) : actual.equals(want);
        }
        StringBuilder regex = new StringBuilder("\\Q");
        Matcher m = NUMBER.matcher(want);
        int last = 0;
        while (m.find()) {
            if (m.group().startsWith("~")) {
                regex.append(want, last, m.start()).append("\\E").append("-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?").append("\\Q");
                last = m.end();
            }
        }
        regex.append(want.substring(last)).append("\\E").append(prefix ? ".*" : "");
        return actual.matches(regex.toString());
    }

    /** Words of a command line as a POSIX shell splits them: quotes, backslashes, comments. */
    static final class Shell {
        static List<String> words(String line) {
            List<String> out = new ArrayList<>();
            StringBuilder w = new StringBuilder();
            boolean inWord = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\'') {
                    int end = line.indexOf('\'', i + 1);
                    w.append(line, i + 1, end);
                    i = end;
                    inWord = true;
                } else if (c == '"') {
                    i++;
                    for (; line.charAt(i) != '"'; i++) {
                        char d = line.charAt(i);
                        if (d == '\\' && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                            d = line.charAt(++i);
                        }
                        w.append(d);
                    }
                    inWord = true;
                } else if (c == '\\') {
                    w.append(line.charAt(++i));
                    inWord = true;
                } else if (c == '#' && !inWord) {
                    break;
                } else if (Character.isWhitespace(c)) {
                    if (inWord) {
                        out.add(w.toString());
                        w.setLength(0);
                        inWord = false;
                    }
                } else {
                    w.append(c);
                    inWord = true;
                }
            }
            if (inWord) {
                out.add(w.toString());
            }
            return out;
        }
    }
}
