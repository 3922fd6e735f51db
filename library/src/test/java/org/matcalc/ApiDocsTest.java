package org.matcalc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;

/**
 * The API users call has its documentation: every public type, constructor, method, field and
 * enum constant of the library facade and of the ad and methods modules carries a Javadoc
 * comment (javadoc's doclint "missing comment", checked on the parsed sources). Record
 * components are documented by their record's comment; overrides inherit theirs.
 */
class ApiDocsTest {
    private static final List<String> MODULES = List.of("library", "ad", "methods");

    @Test
    void everyPublicMemberOfTheApiHasAComment() throws IOException {
        List<Path> sources = new ArrayList<>();
        for (String m : MODULES) {
            try (Stream<Path> s = Files.walk(Path.of("..", m, "src", "main", "java"))) {
                s.filter(p -> p.toString().endsWith(".java") && !p.endsWith("package-info.java")).forEach(sources::add);
            }
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> missing = new ArrayList<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
            Iterable<? extends JavaFileObject> files = fm.getJavaFileObjectsFromPaths(sources);
            JavacTask task = (JavacTask) javac.getTask(null, fm, d -> { }, List.of("-proc:none"), null, files);
            DocTrees docs = DocTrees.instance(task);
            for (CompilationUnitTree unit : task.parse()) {
                new TreePathScanner<Void, Boolean>() {
                    @Override
                    public Void visitClass(ClassTree c, Boolean visible) {
                        boolean here = visible && isPublic(c.getModifiers(), getCurrentPath());
                        if (here) {
                            require(getCurrentPath(), c.getSimpleName().toString());
                        }
                        return here ? super.visitClass(c, true) : null;
                    }

                    @Override
                    public Void visitMethod(MethodTree m, Boolean visible) {
                        if (visible && isPublic(m.getModifiers(), getCurrentPath()) && !overrides(m)) {
                            require(getCurrentPath(), m.getName() + "()");
                        }
                        return null;
                    }

                    @Override
                    public Void visitVariable(VariableTree v, Boolean visible) {
                        if (visible && isPublic(v.getModifiers(), getCurrentPath())) {
                            require(getCurrentPath(), v.getName().toString());
                        }
                        return null;
                    }

                    private void require(TreePath path, String what) {
                        if (docs.getDocCommentTree(path) == null) {
                            long line = unit.getLineMap().getLineNumber(docs.getSourcePositions().getStartPosition(unit, path.getLeaf()));
                            missing.add(Path.of("..").toAbsolutePath().normalize().relativize(Path.of(unit.getSourceFile().toUri()))
                                    + ":" + line + " " + what);
                        }
                    }
                }.scan(unit, true);
            }
        }
        assertTrue(missing.isEmpty(), missing.size() + " public members of the API without a Javadoc comment:\n  "
                + String.join("\n  ", missing));
    }

    /** Public, or an interface member (implicitly public), or an enum constant of a public enum. */
    private static boolean isPublic(ModifiersTree m, TreePath path) {
        Set<Modifier> flags = m.getFlags();
        Tree parent = path.getParentPath().getLeaf();
        if (parent instanceof ClassTree c && (c.getKind() == Tree.Kind.INTERFACE || c.getKind() == Tree.Kind.ANNOTATION_TYPE)) {
            return !flags.contains(Modifier.PRIVATE);
        }
        if (parent instanceof ClassTree c && c.getKind() == Tree.Kind.ENUM && path.getLeaf() instanceof VariableTree v
                && v.getModifiers().getFlags().isEmpty() && v.getInitializer() != null) {
            return true; // an enum constant
        }
        return flags.contains(Modifier.PUBLIC);
    }

    private static boolean overrides(MethodTree m) {
        return m.getModifiers().getAnnotations().stream().anyMatch(a -> a.getAnnotationType().toString().equals("Override"));
    }
}
