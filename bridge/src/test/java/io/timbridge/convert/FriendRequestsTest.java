package io.timbridge.convert;

import static io.timbridge.convert.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timbridge.tim.TimApi;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FriendRequestsTest {

    private final FriendRequests builder = new FriendRequests(100);

    private static Map<String, Object> friend(String user, String friend) {
        return row("user_id", user, "friend_id", friend, "remark", null, "group_name", null, "add_source", "search",
                "added_at_ms", 1_690_000_000_999L);
    }

    private static List<Map<String, Object>> friendsOf(String user, int count) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(friend(user, "f" + (10 + i)));
        }
        return rows;
    }

    @Test
    void eachRowBecomesAnAddFriendItemOfItsOwner() {
        Requests requests = builder.build(List.of(
                row("user_id", "u1", "friend_id", "u2", "remark", "妈妈❤️", "group_name", "家人", "add_source", "qrcode",
                        "added_at_ms", 1_690_000_000_999L),
                row("user_id", "u1", "friend_id", "u3", "remark", null, "group_name", null, "add_source", null,
                        "added_at_ms", new BigDecimal("1690000001000"))));

        assertThat(requests.refusals()).isEmpty();
        TimCall call = requests.calls().get(0);
        assertThat(call.api()).isEqualTo(TimApi.FRIEND_IMPORT);
        assertThat(call.request()).isEqualTo(Map.of("From_Account", "u1", "AddFriendItem", List.of(
                Map.of("To_Account", "u2", "Remark", "妈妈❤️", "GroupName", List.of("家人"),
                        "AddSource", "AddSource_Type_qrcode", "AddTime", 1_690_000_000L),
                Map.of("To_Account", "u3", "AddSource", "AddSource_Type_Unknown", "AddTime", 1_690_000_001L))));
        assertThat(call.itemKeys()).containsExactly("u1:u2", "u1:u3");
    }

    @Test
    void aUsersFriendsAreSplitAtTheBatchSizeAndSentInOrderInOneLane() {
        List<Map<String, Object>> rows = new ArrayList<>(friendsOf("alice", 5));
        rows.addAll(friendsOf("bob", 2));

        Requests requests = new FriendRequests(2).build(rows);

        assertThat(requests.lanes()).hasSize(2);
        assertThat(requests.lanes().get(0)).extracting(TimCall::itemKeys).containsExactly(
                List.of("alice:f10", "alice:f11"), List.of("alice:f12", "alice:f13"), List.of("alice:f14"));
        assertThat(requests.lanes().get(0)).allSatisfy(call -> assertThat(call.request().get("From_Account")).isEqualTo("alice"));
        assertThat(requests.lanes().get(1)).extracting(TimCall::itemKeys).containsExactly(List.of("bob:f10", "bob:f11"));
    }

    @Test
    void aUserSeenInTwoSeparateRunsKeepsOneLane() {
        Requests requests = builder.build(List.of(friend("a", "b"), friend("c", "d"), friend("a", "e")));

        assertThat(requests.lanes()).hasSize(2);
        assertThat(requests.lanes().get(0)).extracting(TimCall::itemKeys).containsExactly(List.of("a:b"), List.of("a:e"));
    }

    @Test
    void aBadFriendIdIsRefusedAndTheOtherFriendsStillGo() {
        String friend33 = "wx_o" + "x".repeat(29);
        String friend32 = "wx_o" + "x".repeat(28);

        Requests requests = builder.build(List.of(friend("u1", friend32), friend("u1", friend33), friend("u1", "u9")));

        assertThat(requests.calls()).singleElement().extracting(TimCall::itemKeys)
                .isEqualTo(List.of("u1:" + friend32, "u1:u9"));
        assertThat(requests.refusals()).singleElement().satisfies(refusal -> {
            assertThat(refusal.itemKey()).isEqualTo("u1:" + friend33);
            assertThat(refusal.rule()).isEqualTo(Refusal.USER_ID);
            assertThat(refusal.reason()).contains("To_Account", friend33, "33 bytes", "at most 32");
            assertThat(refusal.row()).isEqualTo(friend("u1", friend33));
        });
    }

    @Test
    void aBadOwnerRefusesEveryOneOfItsRows() {
        String owner33 = "张三李四王五赵六钱七孙";

        Requests requests = builder.build(List.of(friend("a", owner33), friend(owner33, "a"), friend(owner33, "b"),
                friend("b", owner33)));

        assertThat(requests.refusals()).extracting(Refusal::itemKey)
                .containsExactly("a:" + owner33, owner33 + ":a", owner33 + ":b", "b:" + owner33);
        assertThat(requests.refusals().get(1).reason()).contains("From_Account");
        assertThat(requests.callCount()).isZero();
    }

    @Test
    void columnNamesAreMatchedInAnyCaseAndTheSameRowsGiveEqualRequests() {
        List<Map<String, Object>> rows = new ArrayList<>(friendsOf("u1", 3));
        rows.add(row("user_id", "u2", "friend_id", "u1", "remark", "老王", "group_name", "同事", "add_source", "card",
                "added_at_ms", "1690000000000"));

        assertThat(builder.build(Rows.upperCase(rows))).isEqualTo(builder.build(rows));
        assertThat(Rows.json(new FriendRequests(100).build(rows))).isEqualTo(Rows.json(builder.build(rows)));
    }

    @Test
    void friendIdIsRequiredButTheDescriptiveColumnsAreNot() {
        assertThat(builder.build(List.of(row("user_id", "u1", "friend_id", "u2"))).calls().get(0).request())
                .isEqualTo(Map.of("From_Account", "u1",
                        "AddFriendItem", List.of(Map.of("To_Account", "u2", "AddSource", "AddSource_Type_Unknown"))));
        assertThatThrownBy(() -> builder.build(List.of(row("user_id", "u1", "peer_id", "u2"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("friends")
                .hasMessageContaining("'friend_id'");
    }
}
