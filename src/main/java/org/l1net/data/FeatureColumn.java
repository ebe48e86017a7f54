package org.l1net.data;

import java.io.Serializable;
import org.apache.spark.sql.types.UserDefinedType;

/**
 * A column that features come from, in a DataFrame format: one number, an array of numbers, or a vector
 * (Spark ML's VectorUDT, or its stored struct form {type, size, indices, values}) of {@code width} values.
 *
 * @param udt the vector type when the column is a user-defined type (read through its struct form), else null
 */
public record FeatureColumn(String name, Kind kind, int width, UserDefinedType<Object> udt) implements Serializable {

    /** How a column holds its values. */
    public enum Kind {
        /** One number per row. */
        SCALAR,
        /** An array of numbers. */
        ARRAY,
        /** A vector as a struct {type: 0 sparse or 1 dense, size, indices, values}, or a UDT stored as one. */
        VECTOR
    }

    public FeatureColumn {
        if (width < 1) {
            throw new IllegalArgumentException("column '" + name + "' has no values (width " + width + ")");
        }
    }
}
