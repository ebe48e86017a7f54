package org.l1net.cli;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.l1net.data.Datasets;
import org.l1net.data.InputException;
import org.l1net.data.LabeledBlocks;
import org.l1net.data.ReadOptions;
import org.l1net.data.TableReader;
import org.l1net.data.TableSpec;
import org.l1net.data.TrainingData;
import org.l1net.model.L1NetModel;
import org.l1net.nn.Topology;
import org.l1net.train.TrainConfig;

/**
 * The training data, read and cached once, and the network it fixes (inputs from the data, outputs from
 * --layers or the labels): what train and sweep both start from.
 *
 * @param data    the cached training set and, with --validation-fraction, the validation set split off it
 * @param classes the output layer's size
 */
record TrainingInputs(TableSpec trainSpec, TrainingData data, int classes, Topology topology) {

    /**
     * Reads the training data and resolves the network. Nothing stays cached when it fails.
     *
     * @param prep whether to standardize, and the seeded share of rows to split off as the validation set (or 0)
     */
    static TrainingInputs read(SparkSession spark, String trainPath, ReadOptions options, ModelOptions network,
                               TrainConfig config, TrainingDataOptions prep) {
        int[] layerSizes = network.layerSizes();
        TableReader reader = Datasets.reader(spark, trainPath, options);
        TableSpec trainSpec = reader.inspect(spark, trainPath, options);
        if (layerSizes != null && layerSizes[0] != trainSpec.features()) {
            throw new IllegalArgumentException("--layers " + network.layers + " starts with " + layerSizes[0]
                    + " inputs, but " + trainPath + " has " + trainSpec.features() + " features");
        }
        int knownClasses = layerSizes == null ? 0 : layerSizes[layerSizes.length - 1];
        TrainingData data = Datasets.readTraining(spark, reader, trainSpec, options, knownClasses, prep.standardize,
                prep.validationFraction, config.seed());
        try {
            int classes = knownClasses > 0 ? knownClasses : data.classesSeen();
            if (trainSpec.classNames() != null && classes != trainSpec.classNames().size()) {
                throw new IllegalArgumentException("--layers " + network.layers + " ends with " + classes + " outputs, but "
                        + trainPath + " has " + trainSpec.classNames().size() + " classes " + trainSpec.classNames());
            }
            if (classes < 2) {
                throw new InputException(trainPath + (trainSpec.classNames() != null ? ": every row has label "
                        + trainSpec.classNames().get(0) : ": every row has label 0")
                        + "; a classifier needs at least 2 classes");
            }
            Topology topology = new Topology(network.allSizes(trainSpec.features(), classes), config.activation(),
                    config.loss());
            return new TrainingInputs(trainSpec, data, classes, topology);
        } catch (RuntimeException e) {
            data.release();
            throw e;
        }
    }

    /**
     * The model of {@code parameters} trained on these inputs: their features, label, class names and the
     * standardization fitted on the training rows, so that evaluate and predict on raw data see what training saw.
     */
    L1NetModel model(double[] parameters, TrainConfig config, Map<String, Object> provenance) {
        return new L1NetModel(topology, parameters, trainSpec.featureNames(), trainSpec.labelName(), config.toMap(),
                provenance, trainSpec.classNames(), data.standardizer());
    }

    /** Another labeled set (test, validation) with the training set's features, classes and standardization. */
    LabeledBlocks readLike(SparkSession spark, String path, ReadOptions options) {
        TableReader reader = Datasets.reader(spark, path, options);
        TableSpec spec = reader.inspectLike(spark, path, options,
                new TableReader.Expected(trainSpec.featureNames(), trainSpec.classNames()), false);
        return Datasets.readLabeled(spark, reader, spec, options, classes, data.standardizer());
    }
}
