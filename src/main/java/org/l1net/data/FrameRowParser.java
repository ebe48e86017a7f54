package org.l1net.data;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

/**
 * Turns one row of a DataFrame into [features..., label]: numbers, arrays of numbers and vectors (Spark
 * ML's VectorUDT through its struct form {type, size, indices, values}, so no spark-mllib class is
 * needed) become the features in column order; the label is a class index, or a class name looked up
 * in the class names. Every feature must be a finite number; the error names the column and what is
 * wrong, and {@link #describe} names the row.
 */
public final class FrameRowParser implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final List<String> VECTOR_FIELDS = List.of("type", "size", "indices", "values");

    private final FeatureColumn[] columns;
    private final int[] positions;
    private final int features;
    private final int labelPosition;
    private final String labelName;
    private final HashMap<String, Integer> classIndex;
    private final int classes;

    /**
     * @param positions     where each feature column sits in the rows given to {@link #parse}
     * @param labelPosition where the label sits, or -1 when the rows have none
     * @param classNames    the class names when labels are names, else null (labels are class indices)
     * @param classes       K when known (class indices must be below it), 0 when learned from the data
     */
    public FrameRowParser(List<FeatureColumn> columns, int[] positions, int labelPosition, String labelName,
                          List<String> classNames, int classes) {
        this.columns = columns.toArray(new FeatureColumn[0]);
        this.positions = positions.clone();
        this.features = columns.stream().mapToInt(FeatureColumn::width).sum();
        this.labelPosition = labelPosition;
        this.labelName = labelName;
        this.classIndex = ClassNames.index(classNames);
        this.classes = classes;
    }

    public int features() {
        return features;
    }

    /** A new row [features..., label], label -1 without a label column; IllegalArgumentException when bad. */
    public double[] parse(Row row) {
        double[] out = new double[features + 1];
        int j = 0;
        for (int c = 0; c < columns.length; c++) {
            FeatureColumn column = columns[c];
            int p = positions[c];
            if (row.isNullAt(p)) {
                throw new IllegalArgumentException("column '" + column.name() + "' is null");
            }
            switch (column.kind()) {
                case SCALAR -> out[j] = finite(((Number) row.get(p)).doubleValue(), column, -1);
                case ARRAY -> {
                    List<Object> values = row.getList(p);
                    checkWidth(column, values.size());
                    for (int k = 0; k < values.size(); k++) {
                        Object v = values.get(k);
                        if (v == null) {
                            throw new IllegalArgumentException("column '" + column.name() + "' value " + k + " is null");
                        }
                        out[j + k] = finite(((Number) v).doubleValue(), column, k);
                    }
                }
                case VECTOR -> vector(row.get(p), column, out, j);
                default -> throw new IllegalStateException(column.kind().toString());
            }
            j += column.width();
        }
        out[features] = labelPosition < 0 ? -1 : label(row);
        return out;
    }

    private void vector(Object value, FeatureColumn column, double[] out, int offset) {
        int type;
        int size;
        int[] indices;
        double[] values;
        if (column.udt() != null) {
            InternalRow r = (InternalRow) column.udt().serialize(value);
            type = r.getByte(0);
            size = r.isNullAt(1) ? -1 : r.getInt(1);
            indices = r.isNullAt(2) ? null : r.getArray(2).toIntArray();
            values = r.getArray(3).toDoubleArray();
        } else {
            Row r = (Row) value;
            type = ((Number) r.get(0)).intValue();
            size = r.isNullAt(1) ? -1 : ((Number) r.get(1)).intValue();
            indices = r.isNullAt(2) ? null : r.<Integer>getList(2).stream().mapToInt(Integer::intValue).toArray();
            values = r.<Double>getList(3).stream().mapToDouble(Double::doubleValue).toArray();
        }
        if (type == 1) {
            checkWidth(column, values.length);
            for (int k = 0; k < values.length; k++) {
                out[offset + k] = finite(values[k], column, k);
            }
            return;
        }
        checkWidth(column, size);
        for (int k = 0; k < values.length; k++) {
            out[offset + indices[k]] = finite(values[k], column, indices[k]);
        }
    }

    private static void checkWidth(FeatureColumn column, int width) {
        if (width != column.width()) {
            throw new IllegalArgumentException("column '" + column.name() + "' has " + width + " values, expected "
                    + column.width());
        }
    }

    private static double finite(double v, FeatureColumn column, int index) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("column '" + column.name() + "'" + (index >= 0 ? " value " + index : "")
                    + " is " + v + ": NaN and infinite values are not allowed");
        }
        return v;
    }

    private int label(Row row) {
        if (row.isNullAt(labelPosition)) {
            throw new IllegalArgumentException("label column '" + labelName + "' is null");
        }
        Object value = row.get(labelPosition);
        if (classIndex != null) {
            Integer c = classIndex.get(value.toString());
            if (c == null) {
                throw new IllegalArgumentException("label '" + value + "' " + ClassNames.notOneOf(classIndex));
            }
            return c;
        }
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException("label '" + value + "' is not a class index");
        }
        double v = number.doubleValue();
        if (v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("label '" + value + "' in column '" + labelName
                    + "' is not a class index (a whole number 0.." + (classes > 0 ? classes - 1 : "K-1") + ")");
        }
        if (classes > 0 && v >= classes) {
            throw new IllegalArgumentException("label " + (long) v + " in column '" + labelName + "' is outside 0.."
                    + (classes - 1) + " (the model has " + classes + " classes)");
        }
        return (int) v;
    }

    /** The row by its values, for an error message: "row {a=1.0, b=NaN, label=2}" (long arrays cut short). */
    public String describe(Row row) {
        StringBuilder sb = new StringBuilder("row {");
        for (int c = 0; c < columns.length; c++) {
            sb.append(c == 0 ? "" : ", ").append(columns[c].name()).append('=').append(show(row.get(positions[c])));
            if (sb.length() > 300) {
                sb.append(", ...");
                break;
            }
        }
        if (labelPosition >= 0) {
            sb.append(", ").append(labelName).append('=').append(row.get(labelPosition));
        }
        return sb.append('}').toString();
    }

    private static String show(Object value) {
        String text = value instanceof scala.collection.Seq<?> seq ? seq.mkString("[", ", ", "]") : String.valueOf(value);
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    /** How a column of this type holds features, or null when it cannot. */
    public static FeatureColumn.Kind kindOf(DataType type) {
        if (type instanceof NumericType) {
            return FeatureColumn.Kind.SCALAR;
        }
        if (type instanceof ArrayType array && array.elementType() instanceof NumericType) {
            return FeatureColumn.Kind.ARRAY;
        }
        if (vectorUdt(type) != null || (type instanceof StructType st && isVectorStruct(st))) {
            return FeatureColumn.Kind.VECTOR;
        }
        return null;
    }

    /** A feature column of the given width for a field; IllegalArgumentException when its type holds no features. */
    public static FeatureColumn column(StructField field, int width) {
        FeatureColumn.Kind kind = kindOf(field.dataType());
        if (kind == null) {
            throw new IllegalArgumentException("column '" + field.name() + "' is " + field.dataType().simpleString()
                    + ", not a number, an array of numbers or a vector");
        }
        return new FeatureColumn(field.name(), kind, kind == FeatureColumn.Kind.SCALAR ? 1 : width,
                vectorUdt(field.dataType()));
    }

    /** The feature names of columns: a number by its name, an array or vector of width w as name[0..w-1]. */
    public static List<String> featureNames(List<FeatureColumn> columns) {
        List<String> names = new java.util.ArrayList<>();
        for (FeatureColumn column : columns) {
            if (column.kind() == FeatureColumn.Kind.SCALAR) {
                names.add(column.name());
            } else {
                for (int k = 0; k < column.width(); k++) {
                    names.add(column.name() + "[" + k + "]");
                }
            }
        }
        return names;
    }

    /** The width of a vector or array value (for learning a column's width from its first row). */
    public static int widthOf(Object value, FeatureColumn.Kind kind, UserDefinedType<Object> udt) {
        if (kind == FeatureColumn.Kind.ARRAY) {
            return value instanceof scala.collection.Seq<?> seq ? seq.size() : ((List<?>) value).size();
        }
        if (udt != null) {
            InternalRow r = (InternalRow) udt.serialize(value);
            return r.getByte(0) == 1 ? r.getArray(3).numElements() : r.getInt(1);
        }
        Row r = (Row) value;
        return ((Number) r.get(0)).intValue() == 1 ? r.getList(3).size() : ((Number) r.get(1)).intValue();
    }

    @SuppressWarnings("unchecked")
    private static UserDefinedType<Object> vectorUdt(DataType type) {
        if (type instanceof UserDefinedType<?> udt && udt.sqlType() instanceof StructType st && isVectorStruct(st)) {
            return (UserDefinedType<Object>) udt;
        }
        return null;
    }

    private static boolean isVectorStruct(StructType st) {
        return List.of(st.fieldNames()).equals(VECTOR_FIELDS);
    }
}
