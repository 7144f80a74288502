package io.timbridge.importing;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeysetTest {

    @Test
    void aCompositeKeyBecomesOneNamedParameterPerColumnPlusTheLimit() {
        Keyset keyset = Keyset.parse("group_id, created_at_ms, id", ",-1,0");

        assertThat(keyset.parameters(keyset.startPosition(), 500))
                .containsExactly(Map.entry("after_group_id", ""), Map.entry("after_created_at_ms", -1L),
                        Map.entry("after_id", 0L), Map.entry("limit", 500));
    }

    @Test
    void aSnowflakeStartValueIsANumberSoTheDatabaseComparesItExactly() {
        Keyset keyset = Keyset.parse("user_id,friend_id", "7212345678900000000,99999999999999999999");

        assertThat(keyset.parameters(keyset.startPosition(), 10))
                .containsEntry("after_user_id", 7_212_345_678_900_000_000L)
                .containsEntry("after_friend_id", "99999999999999999999");
    }

    @Test
    void thePositionOfTheLastRowIsWhereTheNextPageStartsWhateverTheColumnCase() {
        Keyset keyset = Keyset.parse("group_id,created_at_ms,id", ",-1,0");
        Map<String, Object> h2Row = new LinkedHashMap<>();
        h2Row.put("GROUP_ID", "g_深圳");
        h2Row.put("CREATED_AT_MS", 1_700_000_000_123L);
        h2Row.put("ID", 42);
        h2Row.put("CONTENT", "ignored");

        String position = keyset.positionOf(h2Row);

        assertThat(keyset.parameters(position, 10)).containsEntry("after_group_id", "g_深圳")
                .containsEntry("after_created_at_ms", 1_700_000_000_123L).containsEntry("after_id", 42L);
    }

    @Test
    void aQueryThatDoesNotReturnTheKeyColumnIsAConfigurationErrorNamingIt() {
        Keyset keyset = Keyset.parse("uid", "");
        assertThatThrownBy(() -> keyset.positionOf(Map.of("user_id", "a")))
                .hasMessageContaining("'uid'").hasMessageContaining("user_id");
    }

    @Test
    void aCheckpointOfAnotherKeyShapeIsRefusedInsteadOfMisread() {
        Keyset keyset = Keyset.parse("user_id,friend_id", ",");
        assertThatThrownBy(() -> keyset.parameters("[\"only-one\"]", 10))
                .hasMessageContaining("reset the checkpoint");
    }

    @Test
    void startValuesMustMatchTheKeyColumns() {
        assertThatThrownBy(() -> new Keyset(List.of("a", "b"), List.of(0L)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
