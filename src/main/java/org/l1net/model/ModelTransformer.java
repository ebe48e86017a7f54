package org.l1net.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.collection.immutable.ArraySeq;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.l1net.data.FeatureColumn;
import org.l1net.data.FrameRowParser;
import org.l1net.data.Standardizer;

/**
 * Scores a Dataset with a model in Spark ML's conventions: parameters {@code featuresCol} (default
 * "features"), {@code predictionCol} ("prediction", the class index as a double) and
 * {@code probabilityCol} ("probability", the K class probabilities as an array of doubles, since a
 * VectorUDT would need spark-mllib). Every input column is kept, in order; rows keep their order. The
 * rows are scored in blocks on the executors, with the pruned network, after the same float32
 * conversion and standardization as training, so the figures equal {@code predict}'s.
 */
public final class ModelTransformer implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int BLOCK_ROWS = 1024;

    private final L1NetModel model;
    private String featuresCol = "features";
    private String predictionCol = "prediction";
    private String probabilityCol = "probability";

    ModelTransformer(L1NetModel model) {
        this.model = model;
    }

    public ModelTransformer setFeaturesCol(String name) {
        featuresCol = name;
        return this;
    }

    public ModelTransformer setPredictionCol(String name) {
        predictionCol = name;
        return this;
    }

    public ModelTransformer setProbabilityCol(String name) {
        probabilityCol = name;
        return this;
    }

    public String getFeaturesCol() {
        return featuresCol;
    }

    public String getPredictionCol() {
        return predictionCol;
    }

    public String getProbabilityCol() {
        return probabilityCol;
    }

    /** The output schema: the input's columns, then prediction and probability. */
    public StructType transformSchema(StructType schema) {
        for (String name : List.of(predictionCol, probabilityCol)) {
            if (List.of(schema.fieldNames()).contains(name)) {
                throw new IllegalArgumentException("output column '" + name + "' already exists in " + schema.simpleString());
            }
        }
        return schema.add(predictionCol, DataTypes.DoubleType, false)
                .add(probabilityCol, DataTypes.createArrayType(DataTypes.DoubleType, false), false);
    }

    /** The input rows with prediction and probability appended. */
    public Dataset<Row> transform(Dataset<Row> data) {
        StructType schema = data.schema();
        StructType out = transformSchema(schema);
        FrameRowParser parser = parser(schema);
        L1NetModel m = model;
        return data.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> score(rows, parser, m), Encoders.row(out));
    }

    /** The features column, or the model's feature columns by name. */
    private FrameRowParser parser(StructType schema) {
        int inputs = model.topology().inputSize();
        List<String> names = List.of(schema.fieldNames());
        List<FeatureColumn> columns = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        if (names.contains(featuresCol)) {
            StructField field = schema.fields()[schema.fieldIndex(featuresCol)];
            columns.add(FrameRowParser.column(field, inputs));
            positions.add(schema.fieldIndex(featuresCol));
        } else if (names.containsAll(model.featureNames())) {
            for (String name : model.featureNames()) {
                columns.add(FrameRowParser.column(schema.fields()[schema.fieldIndex(name)], 1));
                positions.add(schema.fieldIndex(name));
            }
        } else {
            throw new IllegalArgumentException("no features column '" + featuresCol + "', nor the model's feature columns "
                    + model.featureNames() + ", in " + schema.simpleString());
        }
        if (columns.stream().mapToInt(FeatureColumn::width).sum() != inputs) {
            throw new IllegalArgumentException("column '" + featuresCol + "' is a single number; the model takes "
                    + inputs + " features");
        }
        return new FrameRowParser(columns, positions.stream().mapToInt(Integer::intValue).toArray(), -1, null, null, 0);
    }

    private static Iterator<Row> score(Iterator<Row> rows, FrameRowParser parser, L1NetModel model) {
        L1NetModel.Scorer scorer = model.scorer();
        Standardizer standardizer = model.standardizer();
        int features = parser.features();
        int classes = model.classCount();
        return new Iterator<>() {
            private final List<Row> batch = new ArrayList<>(BLOCK_ROWS);
            private final float[] x = new float[BLOCK_ROWS * features];
            private double[] p;
            private int next;

            @Override
            public boolean hasNext() {
                if (next < batch.size()) {
                    return true;
                }
                batch.clear();
                next = 0;
                while (batch.size() < BLOCK_ROWS && rows.hasNext()) {
                    Row row = rows.next();
                    double[] values;
                    try {
                        values = parser.parse(row);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(parser.describe(row) + ": " + e.getMessage(), e);
                    }
                    Standardizer.pack(values, features, standardizer, x, batch.size() * features);
                    batch.add(row);
                }
                if (batch.isEmpty()) {
                    return false;
                }
                p = scorer.probabilities(x, batch.size());
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row row = batch.get(next);
                Object[] values = new Object[row.size() + 2];
                for (int i = 0; i < row.size(); i++) {
                    values[i] = row.get(i);
                }
                int offset = next * classes;
                double[] probability = new double[classes];
                int best = 0;
                for (int c = 0; c < classes; c++) {
                    probability[c] = p[offset + c];
                    if (p[offset + c] > p[offset + best]) {
                        best = c;
                    }
                }
                values[row.size()] = (double) best;
                values[row.size() + 1] = ArraySeq.unsafeWrapArray(probability); // a Scala Seq, as Row encoders need
                next++;
                return RowFactory.create(values);
            }
        };
    }
}
