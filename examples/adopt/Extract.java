import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes the ```java blocks of a Markdown file, unchanged, into one class: each block's imports
 * at the top, its statements as the body of a method snippetK(), and a main that runs them all.
 * Usage: java Extract.java README.md src/main/java/org/example/Snippets.java
 */
public class Extract {
    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        Set<String> imports = new LinkedHashSet<>();
        List<List<String>> blocks = new ArrayList<>();
        List<String> block = null;
        for (String l : lines) {
            if (block == null && l.trim().equals("```java")) {
                block = new ArrayList<>();
            } else if (block != null && l.trim().equals("```")) {
                blocks.add(block);
                block = null;
            } else if (block != null) {
                if (l.startsWith("import ")) {
                    imports.add(l);
                } else {
                    block.add(l);
                }
            }
        }
        StringBuilder out = new StringBuilder("package org.example;\n\n");
        imports.forEach(i -> out.append(i).append('\n'));
        out.append("\n/** The Java snippets of ").append(args[0]).append(", as written there. */\npublic class Snippets {\n");
        for (int k = 0; k < blocks.size(); k++) {
            out.append("    static void snippet").append(k + 1).append("() throws Exception {\n");
            for (String l : blocks.get(k)) {
                out.append(l.isBlank() ? "" : "        " + l).append('\n');
            }
            out.append("    }\n\n");
        }
        out.append("    public static void main(String[] args) throws Exception {\n");
        for (int k = 0; k < blocks.size(); k++) {
            out.append("        snippet").append(k + 1).append("();\n");
            out.append("        System.out.println(\"snippet ").append(k + 1).append(" ran\");\n");
        }
        out.append("    }\n}\n");
        Path target = Path.of(args[1]);
        Files.createDirectories(target.getParent());
        Files.writeString(target, out.toString());
        System.out.println(blocks.size() + " snippets from " + args[0] + " -> " + target);
    }
}
