package io.timbridge.convert;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.Clob;
import java.sql.SQLException;
import java.util.Map;

/**
 * Reads canonical columns from a legacy row as JDBC or camel-sql hands it over: column names in
 * whatever case the database reports (H2 upper, MariaDB and PostgreSQL lower, or mixed aliases),
 * numbers as any {@link Number} or a numeric string, text possibly as a {@link Clob}.
 * <p>
 * A column the data type requires but the row does not have means the configured SQL does not
 * return the canonical columns: that throws {@link IllegalArgumentException} naming the column and
 * the data type, so the route stops instead of dead-lettering every row.
 */
public final class LegacyRow {

    private static final Object ABSENT = new Object();

    private LegacyRow() {
    }

    /** Whether the row has the column, in any letter case (its value may be null). */
    public static boolean has(Map<String, ?> row, String column) {
        return lookup(row, column) != ABSENT;
    }

    /** The value of a required column; null when the database holds NULL. */
    public static Object value(Map<String, ?> row, String column, String dataType) {
        Object value = lookup(row, column);
        if (value == ABSENT) {
            throw new IllegalArgumentException(dataType + ": the rows have no column '" + column
                    + "'; the configured SQL must return it (alias it with AS " + column + "), columns were "
                    + row.keySet());
        }
        return value;
    }

    /** The value of an optional column; null when the column is absent or NULL. */
    public static Object optionalValue(Map<String, ?> row, String column) {
        Object value = lookup(row, column);
        return value == ABSENT ? null : value;
    }

    public static String text(Map<String, ?> row, String column, String dataType) {
        return toText(value(row, column, dataType), column, dataType);
    }

    public static String optionalText(Map<String, ?> row, String column, String dataType) {
        return toText(optionalValue(row, column), column, dataType);
    }

    /** A required column's value as a long; null when the database holds NULL. */
    public static Long longValue(Map<String, ?> row, String column, String dataType) {
        return toLong(value(row, column, dataType), column, dataType);
    }

    public static Long optionalLong(Map<String, ?> row, String column, String dataType) {
        return toLong(optionalValue(row, column), column, dataType);
    }

    /** A required column that must not be NULL either, such as a message id or time. */
    public static long requiredLong(Map<String, ?> row, String column, String dataType) {
        Long value = longValue(row, column, dataType);
        if (value == null) {
            throw new IllegalArgumentException(dataType + ": column '" + column
                    + "' is NULL; the configured SQL must return a value (e.g. with COALESCE) in row " + row);
        }
        return value;
    }

    /**
     * Any JDBC number, or a numeric string, as a long; a fractional value is rounded down (epoch
     * milliseconds computed by a database may come back as DECIMAL).
     */
    public static Long toLong(Object value, String column, String dataType) {
        if (value == null) {
            return null;
        }
        try {
            if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                return ((Number) value).longValue();
            }
            if (value instanceof BigInteger big) {
                return big.longValueExact();
            }
            if (value instanceof BigDecimal decimal) {
                return decimal.setScale(0, RoundingMode.FLOOR).longValueExact();
            }
            if (value instanceof Double || value instanceof Float) {
                double d = ((Number) value).doubleValue();
                if (Double.isFinite(d)) {
                    return new BigDecimal(d).setScale(0, RoundingMode.FLOOR).longValueExact();
                }
            } else if (value instanceof String s) {
                return new BigDecimal(s.strip()).setScale(0, RoundingMode.FLOOR).longValueExact();
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException(dataType + ": column '" + column + "' must be a whole number, was "
                + value.getClass().getSimpleName() + " '" + value + "'");
    }

    static String toText(Object value, String column, String dataType) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof Clob clob) {
            try {
                return clob.getSubString(1, Math.toIntExact(clob.length()));
            } catch (SQLException e) {
                throw new IllegalStateException(dataType + ": cannot read column '" + column + "'", e);
            }
        }
        return value.toString();
    }

    private static Object lookup(Map<String, ?> row, String column) {
        if (row.containsKey(column)) {
            return row.get(column);
        }
        for (Map.Entry<String, ?> entry : row.entrySet()) {
            if (column.equalsIgnoreCase(entry.getKey())) {
                return entry.getValue();
            }
        }
        return ABSENT;
    }
}
