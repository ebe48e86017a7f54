package org.l1net.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l1net.TestSpark;
import org.l1net.data.CsvReader;
import org.l1net.data.HeaderMode;
import org.l1net.data.LabeledBlocks;
import org.l1net.data.ReadOptions;
import org.l1net.nn.Activation;
import org.l1net.nn.OutputLoss;
import org.l1net.nn.Topology;

/**
 * A peer check of OWL-QN: a network with no hidden layer is multinomial logistic regression, which Spark
 * MLlib's {@code LogisticRegression} fits with L1 (elasticNetParam 1) by its own OWL-QN (Breeze's). On the
 * same rows and lambda both must reach the same objective, mean cross-entropy + lambda * sum |W| (intercepts
 * unpenalized), to 1e-4 relative, with the same zero pattern; and our solution must satisfy the optimality
 * conditions of that convex problem, checked with a gradient computed here by a plain loop.
 *
 * <p>Three classes, not four: softmax is unchanged when every class's weight for a feature shifts by the
 * same amount, and with an even class count the L1 norm is flat along that shift between the two middle
 * weights, so the minimizer (and its zero pattern) is not unique. With an odd count it is.
 * Features are multiples of 1/1024, exact in float32, so the float32 blocks and MLlib's doubles hold the
 * same numbers.
 */
class OwlQnPeerTest {
    private static final int ROWS = 600;
    private static final int FEATURES = 10;
    private static final int CLASSES = 3;
    private static final double LAMBDA = 0.02;

    @TempDir
    static Path dir;
    private static Path file;
    private static double[][] x;
    private static int[] y;
    private static LabeledBlocks blocks;

    @BeforeAll
    static void writeData() throws IOException {
        SplittableRandom random = new SplittableRandom(17);
        double[][] teacher = new double[CLASSES][FEATURES];
        for (double[] row : teacher) {
            for (int j = 0; j < FEATURES; j++) {
                // Half the features carry no signal, so L1 has weights to remove.
                row[j] = j % 2 == 0 ? random.nextDouble(-3, 3) : 0.0;
            }
        }
        x = new double[ROWS][FEATURES];
        y = new int[ROWS];
        StringBuilder csv = new StringBuilder();
        for (int r = 0; r < ROWS; r++) {
            double[] score = new double[CLASSES];
            for (int j = 0; j < FEATURES; j++) {
                x[r][j] = random.nextInt(-1024, 1025) / 1024.0;
                csv.append(String.format(Locale.ROOT, "%s,", x[r][j]));
                for (int k = 0; k < CLASSES; k++) {
                    score[k] += teacher[k][j] * x[r][j];
                }
            }
            int label = 0;
            for (int k = 1; k < CLASSES; k++) {
                label = score[k] > score[label] ? k : label;
            }
            y[r] = random.nextDouble() < 0.15 ? random.nextInt(CLASSES) : label;
            csv.append(y[r]).append('\n');
        }
        file = dir.resolve("peer.csv");
        Files.writeString(file, csv);
        SparkSession spark = TestSpark.session();
        ReadOptions options = new ReadOptions(HeaderMode.FALSE, "last", 2, 0);
        blocks = CsvReader.readLabeled(spark, CsvReader.inspectTraining(spark, file.toString(), options), options, CLASSES);
    }

    @AfterAll
    static void release() {
        blocks.release();
    }

    @Test
    void owlQnMatchesMllibLogisticRegressionAndIsOptimal() {
        Topology topology = new Topology(new int[] {FEATURES, CLASSES}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
        TrainConfig config = TrainConfig.builder().layers(FEATURES + "," + CLASSES).optimizer("lbfgs").l1(LAMBDA)
                .epochs(2000).tolerance(1e-13).partitions(2).seed(3).build();
        TrainingResult ours = new Trainer(TestSpark.context()).train(config, topology, blocks, null, m -> { });
        double[] w = ours.parameters(); // W [classes x features] row-major, then b [classes]

        LogisticRegressionModel peer = mllibFit();
        Matrix coefficients = peer.coefficientMatrix();
        double[] theirs = new double[w.length];
        for (int k = 0; k < CLASSES; k++) {
            for (int j = 0; j < FEATURES; j++) {
                theirs[k * FEATURES + j] = coefficients.apply(k, j);
            }
            theirs[CLASSES * FEATURES + k] = peer.interceptVector().apply(k);
        }

        double ourObjective = objective(w);
        double peerObjective = objective(theirs);
        String report = String.format(Locale.ROOT, "objective: l1net %.12f (%d passes, stopped: %s), MLlib %.12f",
                ourObjective, ours.passes(), ours.stopReason(), peerObjective);
        System.out.println(report);
        assertEquals(peerObjective, ourObjective, 1e-4 * peerObjective, report);
        assertEquals(ours.last().objective(), ourObjective, 1e-12, "the trainer's own objective agrees with the plain loop");

        int zeros = 0;
        for (int i = 0; i < CLASSES * FEATURES; i++) {
            // A weight within 1e-5 of zero counts as either.
            boolean mismatch = (w[i] == 0.0 && Math.abs(theirs[i]) > 1e-5) || (theirs[i] == 0.0 && Math.abs(w[i]) > 1e-5);
            assertTrue(!mismatch, "weight " + i + ": l1net " + w[i] + ", MLlib " + theirs[i] + "\n" + report);
            zeros += w[i] == 0.0 ? 1 : 0;
        }
        assertTrue(zeros >= 5 && zeros <= CLASSES * FEATURES - 5, "a meaningful case has zeros and nonzeros: " + zeros);

        double[] g = gradient(w);
        for (int i = 0; i < w.length; i++) {
            boolean bias = i >= CLASSES * FEATURES;
            if (bias) {
                assertEquals(0.0, g[i], 1e-5, "bias " + i + ": unpenalized, so its gradient vanishes");
            } else if (w[i] == 0.0) {
                assertTrue(Math.abs(g[i]) <= LAMBDA + 1e-6, "zero weight " + i + ": |dLoss/dw| " + Math.abs(g[i]) + " > lambda");
            } else {
                assertEquals(0.0, g[i] + LAMBDA * Math.signum(w[i]), 1e-5, "nonzero weight " + i + ": dLoss/dw + lambda sign(w)");
            }
        }
    }

    private static LogisticRegressionModel mllibFit() {
        SparkSession spark = TestSpark.session();
        Dataset<Row> raw = spark.read().option("header", "false").option("inferSchema", "true").csv(file.toString());
        String[] featureColumns = new String[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
            featureColumns[j] = "_c" + j;
        }
        Dataset<Row> data = new VectorAssembler().setInputCols(featureColumns).setOutputCol("features").transform(raw)
                .withColumn("label", functions.col("_c" + FEATURES).cast("double"));
        return new LogisticRegression().setFamily("multinomial").setElasticNetParam(1.0).setRegParam(LAMBDA)
                .setStandardization(false).setFitIntercept(true).setMaxIter(2000).setTol(1e-13).fit(data);
    }

    /** Mean cross-entropy of softmax(W x + b) plus lambda * sum |W|, by a plain loop in double. */
    private static double objective(double[] p) {
        double loss = 0.0;
        for (int r = 0; r < ROWS; r++) {
            double[] prob = probabilities(p, x[r]);
            loss -= Math.log(prob[y[r]]);
        }
        double l1 = 0.0;
        for (int i = 0; i < CLASSES * FEATURES; i++) {
            l1 += Math.abs(p[i]);
        }
        return loss / ROWS + LAMBDA * l1;
    }

    /** The gradient of the mean cross-entropy: (p - onehot(y)) x' for W, p - onehot(y) for b, averaged. */
    private static double[] gradient(double[] p) {
        double[] g = new double[p.length];
        for (int r = 0; r < ROWS; r++) {
            double[] prob = probabilities(p, x[r]);
            for (int k = 0; k < CLASSES; k++) {
                double delta = prob[k] - (k == y[r] ? 1.0 : 0.0);
                for (int j = 0; j < FEATURES; j++) {
                    g[k * FEATURES + j] += delta * x[r][j] / ROWS;
                }
                g[CLASSES * FEATURES + k] += delta / ROWS;
            }
        }
        return g;
    }

    private static double[] probabilities(double[] p, double[] row) {
        double[] z = new double[CLASSES];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < CLASSES; k++) {
            z[k] = p[CLASSES * FEATURES + k];
            for (int j = 0; j < FEATURES; j++) {
                z[k] += p[k * FEATURES + j] * row[j];
            }
            max = Math.max(max, z[k]);
        }
        double sum = 0.0;
        for (int k = 0; k < CLASSES; k++) {
            z[k] = Math.exp(z[k] - max);
            sum += z[k];
        }
        for (int k = 0; k < CLASSES; k++) {
            z[k] /= sum;
        }
        return z;
    }
}
