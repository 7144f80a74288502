package io.timbridge.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;

/**
 * Runs SQL written with camel-sql named parameters as camel-sql does: each {@code :#name} becomes
 * {@code ?}, bound from the map in order by Spring's {@link ArgumentPreparedStatementSetter} (the
 * setter camel-sql uses, including its handling of NULL). A name missing from the map fails, as
 * in camel-sql.
 */
final class NamedSql {
    private static final Pattern PARAM = Pattern.compile(":#(\\w+)");

    private NamedSql() {
    }

    static int update(Connection c, String sql, Map<String, ?> params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    /** Rows as maps with lower-case column names (H2 reports upper case). */
    static List<Map<String, Object>> query(Connection c, String sql, Map<String, ?> params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    row.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT),
                            value instanceof Number n && !(value instanceof Long) ? n.longValue() : value);
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Map<String, ?> params) throws SQLException {
        List<Object> args = new ArrayList<>();
        Matcher m = PARAM.matcher(sql);
        while (m.find()) {
            if (!params.containsKey(m.group(1))) {
                throw new IllegalArgumentException("no value for :#" + m.group(1) + " in " + params.keySet());
            }
            args.add(params.get(m.group(1)));
        }
        PreparedStatement ps = c.prepareStatement(m.replaceAll("?"));
        new ArgumentPreparedStatementSetter(args.toArray()).setValues(ps);
        return ps;
    }
}
