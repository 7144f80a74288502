package io.timbridge.convert;

import static io.timbridge.convert.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.rowset.serial.SerialClob;
import org.junit.jupiter.api.Test;

class LegacyRowTest {

    @Test
    void columnsAreFoundWhateverTheCaseTheDatabaseReports() {
        Map<String, Object> h2 = row("USER_ID", "u1", "CREATED_AT_MS", 5L);
        Map<String, Object> mixed = row("User_Id", "u1", "createdAt", 1L);

        assertThat(LegacyRow.text(h2, "user_id", "accounts")).isEqualTo("u1");
        assertThat(LegacyRow.text(mixed, "user_id", "accounts")).isEqualTo("u1");
        assertThat(LegacyRow.has(h2, "created_at_ms")).isTrue();
        assertThat(LegacyRow.has(mixed, "created_at_ms")).isFalse();
    }

    @Test
    void aMissingRequiredColumnNamesTheColumnAndTheDataType() {
        assertThatThrownBy(() -> LegacyRow.text(row("uid", "u1"), "user_id", "friends"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("friends: the rows have no column 'user_id'")
                .hasMessageContaining("[uid]");
    }

    @Test
    void anOptionalColumnMayBeMissingAndANullValueIsNull() {
        Map<String, Object> r = row("user_id", "u1", "nickname", null);

        assertThat(LegacyRow.optionalText(r, "avatar_url", "accounts")).isNull();
        assertThat(LegacyRow.text(r, "nickname", "accounts")).isNull();
        assertThat(LegacyRow.optionalLong(r, "added_at_ms", "friends")).isNull();
    }

    @Test
    void numbersArriveAsAnyJdbcTypeOrAsText() {
        assertThat(LegacyRow.toLong(7, "c", "t")).isEqualTo(7L);
        assertThat(LegacyRow.toLong((short) 2, "c", "t")).isEqualTo(2L);
        assertThat(LegacyRow.toLong(1_700_000_000_123L, "c", "t")).isEqualTo(1_700_000_000_123L);
        assertThat(LegacyRow.toLong(new BigDecimal("1700000000123"), "c", "t")).isEqualTo(1_700_000_000_123L);
        assertThat(LegacyRow.toLong(new BigDecimal("1700000000123.9"), "c", "t")).isEqualTo(1_700_000_000_123L);
        assertThat(LegacyRow.toLong(new BigInteger("9007199254740993"), "c", "t")).isEqualTo(9_007_199_254_740_993L);
        assertThat(LegacyRow.toLong(" 42 ", "c", "t")).isEqualTo(42L);
        assertThat(LegacyRow.toLong(-1.5, "c", "t")).isEqualTo(-2L);
    }

    @Test
    void aValueThatIsNotAWholeNumberIsAConfigurationError() {
        assertThatThrownBy(() -> LegacyRow.toLong("abc", "created_at_ms", "c2c-history"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("c2c-history").hasMessageContaining("created_at_ms").hasMessageContaining("abc");
        assertThatThrownBy(() -> LegacyRow.toLong(new BigInteger("1" + "0".repeat(30)), "id", "t"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LegacyRow.toLong(Double.NaN, "id", "t")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRequiredValueThatIsNullIsAConfigurationError() {
        assertThatThrownBy(() -> LegacyRow.requiredLong(row("id", null), "id", "group-history"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group-history: column 'id' is NULL");
    }

    @Test
    void textColumnsMayArriveAsClobs() throws SQLException {
        Map<String, Object> r = row("content", new SerialClob("你好 👋".toCharArray()), "id", 5L);

        assertThat(LegacyRow.text(r, "content", "c2c-history")).isEqualTo("你好 👋");
        assertThat(LegacyRow.text(r, "id", "c2c-history")).isEqualTo("5");
    }
}
