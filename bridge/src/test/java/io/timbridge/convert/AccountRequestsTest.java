package io.timbridge.convert;

import static io.timbridge.convert.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timbridge.tim.TimApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountRequestsTest {

    private final AccountRequests builder = new AccountRequests(100);

    @Test
    void eachAccountCarriesItsNickAndAvatarAndLeavesOutNulls() {
        Requests requests = builder.build(List.of(
                row("user_id", "u1000001", "nickname", "王芳🌸", "avatar_url", "https://cdn.example.com/avatar/u1000001.jpg"),
                row("user_id", "u1000002", "nickname", "さくら", "avatar_url", null),
                row("user_id", "u1000003", "nickname", null, "avatar_url", null)));

        assertThat(requests.refusals()).isEmpty();
        assertThat(requests.calls()).hasSize(1);
        TimCall call = requests.calls().get(0);
        assertThat(call.api()).isEqualTo(TimApi.MULTIACCOUNT_IMPORT);
        assertThat(call.request()).isEqualTo(Map.of("AccountList", List.of(
                Map.of("UserID", "u1000001", "Nick", "王芳🌸", "FaceUrl", "https://cdn.example.com/avatar/u1000001.jpg"),
                Map.of("UserID", "u1000002", "Nick", "さくら"),
                Map.of("UserID", "u1000003"))));
        assertThat(call.itemKeys()).containsExactly("u1000001", "u1000002", "u1000003");
    }

    @Test
    void aUserIdOf32BytesIsImportedAnd33BytesIsRefused() {
        String ascii32 = "u".repeat(32);
        String cjk32 = "张三李四王五赵六钱七" + "ab";
        String ascii33 = "wx_o" + "x".repeat(29);
        String cjk33 = "张三李四王五赵六钱七孙";

        Requests requests = builder.build(List.of(row("user_id", ascii32), row("user_id", ascii33),
                row("user_id", cjk32), row("user_id", cjk33)));

        assertThat(requests.calls().get(0).itemKeys()).containsExactly(ascii32, cjk32);
        assertThat(requests.refusals()).extracting(Refusal::itemKey).containsExactly(ascii33, cjk33);
        assertThat(requests.refusals()).extracting(Refusal::rule).containsOnly(Refusal.USER_ID);
        Refusal refusal = requests.refusals().get(1);
        assertThat(refusal.reason()).contains(cjk33, "33 bytes", "at most 32");
        assertThat(refusal.row()).isEqualTo(row("user_id", cjk33));
    }

    @Test
    void aUserIdStartingWithAtOrEmptyIsRefused() {
        Requests requests = builder.build(List.of(row("user_id", "@TIM#SYSTEM"), row("user_id", ""),
                row("user_id", null), row("user_id", "ok")));

        assertThat(requests.refusals()).extracting(Refusal::itemKey).containsExactly("@TIM#SYSTEM", "", "null");
        assertThat(requests.refusals().get(0).reason()).contains("'@TIM#SYSTEM' starts with '@'");
        assertThat(requests.refusals().get(2).reason()).contains("empty");
        assertThat(requests.itemCount()).isEqualTo(1);
    }

    @Test
    void accountsAreSplitIntoCallsOfTheBatchSizeEachInItsOwnLane() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rows.add(row("user_id", "u" + i));
        }
        rows.add(2, row("user_id", "@refused"));

        Requests requests = new AccountRequests(2).build(rows);

        assertThat(requests.lanes()).hasSize(3).allSatisfy(lane -> assertThat(lane).hasSize(1));
        assertThat(requests.calls()).extracting(TimCall::itemKeys)
                .containsExactly(List.of("u0", "u1"), List.of("u2", "u3"), List.of("u4"));
        assertThat(requests.refusals()).hasSize(1);
    }

    @Test
    void columnNamesAreMatchedInAnyCase() {
        List<Map<String, Object>> rows = List.of(row("user_id", "u1", "nickname", "李雷", "avatar_url", "https://x/a.png"));

        assertThat(builder.build(Rows.upperCase(rows))).isEqualTo(builder.build(rows));
        assertThat(builder.build(List.of(row("User_Id", "u1", "NickName", "李雷", "Avatar_URL", "https://x/a.png"))))
                .isEqualTo(builder.build(rows));
    }

    @Test
    void optionalColumnsMayBeMissingButUserIdMayNot() {
        assertThat(builder.build(List.of(row("user_id", "u1"))).calls().get(0).request())
                .isEqualTo(Map.of("AccountList", List.of(Map.of("UserID", "u1"))));

        assertThatThrownBy(() -> builder.build(List.of(row("id", "u1", "nickname", "x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("accounts")
                .hasMessageContaining("'user_id'");
    }

    @Test
    void theSameRowsGiveEqualRequests() {
        List<Map<String, Object>> rows = List.of(row("user_id", "u1", "nickname", "韩梅梅"), row("user_id", "u2"));

        assertThat(Rows.json(new AccountRequests(100).build(rows))).isEqualTo(Rows.json(builder.build(rows)));
    }

    @Test
    void aBatchSizeBelowOneIsAConfigurationError() {
        assertThatThrownBy(() -> new AccountRequests(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch size");
    }
}
