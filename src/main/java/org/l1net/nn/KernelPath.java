package org.l1net.nn;

import java.util.Locale;

/**
 * Which implementation of the block kernel's arithmetic runs: plain loops, or the Java Vector API
 * (jdk.incubator.vector, present when the JVM was started with --add-modules jdk.incubator.vector,
 * as Spark's launcher does). Both give bit-identical results: every output element is the same
 * chain of fused multiply-adds in the same order (the row dots of the weight gradient the same eight
 * partial sums, whatever the vector width), and the activations are the same formulas
 * ({@link FastMath}), so the choice changes speed, never the model.
 */
public enum KernelPath {
    SCALAR,
    VECTOR;

    /** System property that forces a path: "scalar", "vector" or "auto" (the default). */
    public static final String PROPERTY = "l1net.kernel";

    private static final boolean VECTOR_AVAILABLE = probeVector();
    private static final KernelPath CHOSEN = choose(System.getProperty(PROPERTY, "auto"));

    /** True when the Vector API is loadable here and has 256-bit double vectors in hardware. */
    public static boolean vectorAvailable() {
        return VECTOR_AVAILABLE;
    }

    /** The path chosen once per JVM at start-up: VECTOR where available, unless the property says otherwise. */
    public static KernelPath chosen() {
        return CHOSEN;
    }

    static KernelPath choose(String setting) {
        String s = setting.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "auto":
                return VECTOR_AVAILABLE ? VECTOR : SCALAR;
            case "scalar":
                return SCALAR;
            case "vector":
                if (!VECTOR_AVAILABLE) {
                    throw new IllegalStateException("-D" + PROPERTY + "=vector, but the Java Vector API is not usable in"
                            + " this JVM (start it with --add-modules jdk.incubator.vector)");
                }
                return VECTOR;
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + setting + ": expected auto, scalar or vector");
        }
    }

    /** A fresh arithmetic object for one kernel (it owns a packing buffer). */
    Gemm newGemm() {
        if (this == SCALAR) {
            return new ScalarGemm();
        }
        if (!VECTOR_AVAILABLE) {
            throw new IllegalStateException("The Java Vector API is not usable in this JVM");
        }
        return newVectorGemm();
    }

    /** Loaded by name, so that a JVM without the module never links the class. */
    private static Gemm newVectorGemm() {
        try {
            return (Gemm) Class.forName("org.l1net.nn.VectorGemm").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot load the vector kernel", e);
        }
    }

    private static boolean probeVector() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            Class<?> c = Class.forName("org.l1net.nn.VectorGemm");
            return (Boolean) c.getDeclaredMethod("hardwareSupported").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }
}
