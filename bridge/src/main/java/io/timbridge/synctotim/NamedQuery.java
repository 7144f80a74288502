package io.timbridge.synctotim;

import javax.sql.DataSource;
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

/**
 * A legacy query from configuration with camel-sql named parameters ({@code :#group_id}), run as a JDBC
 * prepared statement: values are always bound, never pasted into the SQL text.
 */
public final class NamedQuery {
    private static final Pattern PARAMETER = Pattern.compile(":#([A-Za-z_][A-Za-z0-9_]*)");

    private final DataSource dataSource;
    private final String jdbcSql;
    private final List<String> names = new ArrayList<>();

    public NamedQuery(DataSource dataSource, String sql) {
        this.dataSource = dataSource;
        Matcher m = PARAMETER.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            names.add(m.group(1));
            m.appendReplacement(out, "?");
        }
        m.appendTail(out);
        this.jdbcSql = out.toString();
    }

    /** The rows, column names in lower case. */
    public List<Map<String, Object>> rows(Map<String, Object> parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(jdbcSql)) {
            for (int i = 0; i < names.size(); i++) {
                if (!parameters.containsKey(names.get(i))) {
                    throw new IllegalArgumentException("query parameter :#" + names.get(i) + " has no value in "
                            + parameters.keySet());
                }
                ps.setObject(i + 1, parameters.get(names.get(i)));
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int col = 1; col <= meta.getColumnCount(); col++) {
                        row.put(meta.getColumnLabel(col).toLowerCase(Locale.ROOT), rs.getObject(col));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new LegacyQueryException(jdbcSql, e);
        }
    }

    /** The legacy database failed a lookup: a transient problem, the item waits for the next cycle. */
    public static final class LegacyQueryException extends RuntimeException {
        LegacyQueryException(String sql, SQLException cause) {
            super("legacy query failed (" + cause.getMessage() + "): " + sql, cause);
        }
    }
}
