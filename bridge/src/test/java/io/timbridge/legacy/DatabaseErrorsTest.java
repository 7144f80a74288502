package io.timbridge.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.BadSqlGrammarException;

class DatabaseErrorsTest {

    @Test
    void namesTheDatabasesCodeStateAndWordsBehindSpringsTranslation() {
        SQLException driver = new SQLException("Incorrect string value: '\\xF0\\x9F\\x98\\x80' for column 'content'",
                "HY000", 1366);
        BadSqlGrammarException spring = new BadSqlGrammarException("PreparedStatementCallback", "", driver);

        assertThat(DatabaseErrors.describe(new IllegalStateException("wrapped", spring)))
                .isEqualTo("database error 1366 (SQLState HY000): Incorrect string value:"
                        + " '\\xF0\\x9F\\x98\\x80' for column 'content'");
    }

    @Test
    void aBatchFailureNamesTheStatementsOwnError() {
        SQLException batch = new SQLException("Batch entry 0 was aborted", "22001", 0);
        batch.setNextException(new SQLException("value too long for type character varying(64)", "22001", 0));

        assertThat(DatabaseErrors.describe(batch)).isEqualTo(
                "database error 0 (SQLState 22001): value too long for type character varying(64)");
    }

    @Test
    void aFailureWithoutADatabaseErrorKeepsItsOwnWords() {
        assertThat(DatabaseErrors.describe(new IllegalArgumentException("no route"))).isEqualTo(
                "IllegalArgumentException: no route");
        assertThat(DatabaseErrors.describe(null)).isEqualTo("unknown");
    }
}
