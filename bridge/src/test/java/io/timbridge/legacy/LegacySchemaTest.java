package io.timbridge.legacy;

import io.timbridge.config.Database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timbridge.testsupport.TestDatabases;
import io.timbridge.testsupport.TestDatabases.Kind;
import io.timbridge.testsupport.TestDatabases.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LegacySchemaTest {

    @ParameterizedTest
    @EnumSource(Kind.class)
    void schemaAppliesTwiceAndStoresFourByteCharacters(Kind kind) throws SQLException {
        try (TestDatabase db = TestDatabases.create(kind); Connection c = db.connection()) {
            assertThat(LegacySchema.isPresent(c)).isFalse();
            LegacySchema.apply(c);
            LegacySchema.apply(c);
            assertThat(LegacySchema.isPresent(c)).isTrue();

            String text = "你好 😀 👍🏽 こんにちは";
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO c2c_messages (sender_id, receiver_id, msg_type, content, created_at_ms) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, "alice");
                ps.setString(2, "bob");
                ps.setString(3, "text");
                ps.setString(4, text);
                ps.setLong(5, 1_700_000_000_123L);
                ps.executeUpdate();
            }
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT id, content, bridge_origin FROM c2c_messages")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(1L);
                assertThat(rs.getString(2)).isEqualTo(text);
                assertThat(rs.getString(3)).isNull();
            }

            LegacySchema.drop(c);
            assertThat(LegacySchema.isPresent(c)).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void idsAreCaseSensitiveAndSortInByteOrder(Kind kind) throws SQLException {
        try (TestDatabase db = TestDatabases.create(kind); Connection c = db.connection()) {
            LegacySchema.apply(c);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO users (user_id, created_at_ms, updated_at_ms) VALUES (?, 0, 0)")) {
                for (String id : List.of("bob", "Bob", "alice", "_x", "a-1", "a_1", "Z9")) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
            }
            List<String> keysetOrder = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT user_id FROM users WHERE user_id > ? ORDER BY user_id")) {
                ps.setString(1, "");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keysetOrder.add(rs.getString(1));
                    }
                }
            }
            assertThat(keysetOrder).containsExactly("Bob", "Z9", "_x", "a-1", "a_1", "alice", "bob");
        }
    }

    @Test
    void databaseIsChosenByJdbcUrl() {
        assertThat(Database.ofUrl("jdbc:h2:mem:x")).isEqualTo(Database.H2);
        assertThat(Database.ofUrl("jdbc:mariadb://h/db")).isEqualTo(Database.MYSQL);
        assertThat(Database.ofUrl("jdbc:mysql://h/db")).isEqualTo(Database.MYSQL);
        assertThat(Database.ofUrl("jdbc:postgresql://h/db")).isEqualTo(Database.POSTGRESQL);
        assertThatThrownBy(() -> Database.ofUrl("jdbc:oracle:thin:@h:1521/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:oracle");
    }

    @Test
    void everyDatabaseScriptCreatesTheSameTables() {
        for (Database database : Database.values()) {
            List<String> created = SqlScript.statements(database.legacyResourceDir() + "/schema.sql").stream()
                    .filter(s -> s.startsWith("CREATE TABLE IF NOT EXISTS "))
                    .map(s -> s.substring("CREATE TABLE IF NOT EXISTS ".length()).split("\\s")[0])
                    .toList();
            assertThat(created).as(database.name()).containsExactlyElementsOf(LegacySchema.TABLES);
        }
    }
}
