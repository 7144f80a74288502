package io.timbridge.convert;

import static io.timbridge.convert.Rows.row;
import static io.timbridge.convert.Rows.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timbridge.tim.TimApi;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnreadRequestsTest {

    private final UnreadRequests builder = new UnreadRequests();

    private static Map<String, Object> unread(String group, String user, Object count) {
        return row("group_id", group, "user_id", user, "unread_count", count);
    }

    @Test
    void eachMemberWithUnreadMessagesGetsOneCallInItsOwnLane() {
        Requests requests = builder.build(List.of(unread("g1", "u1", 3), unread("g1", "u2", new BigDecimal("200")),
                unread("g2", "u1", 1L)));

        assertThat(requests.refusals()).isEmpty();
        assertThat(requests.lanes()).hasSize(3).allSatisfy(lane -> assertThat(lane).hasSize(1));
        TimCall call = requests.calls().get(1);
        assertThat(call.api()).isEqualTo(TimApi.SET_UNREAD_MSG_NUM);
        assertThat(call.request()).isEqualTo(Map.of("GroupId", "g1", "Member_Account", "u2", "UnreadMsgNum", 200L));
        assertThat(call.itemKeys()).containsExactly("g1:u2");
    }

    @Test
    void aMemberWithNothingUnreadMakesNoCallAndNoRefusal() {
        Requests requests = builder.build(List.of(unread("g1", "u1", 0), unread("g1", "u2", null),
                unread("g1", "@bad", 0)));

        assertThat(requests.callCount()).isZero();
        assertThat(requests.refusals()).isEmpty();
    }

    @Test
    void aBadMemberOrGroupIsRefusedTheMemberFirst() {
        Requests requests = builder.build(List.of(unread("g1", "wx_o" + "k".repeat(29), 2),
                unread("g1", "u".repeat(32), 2), unread("@TGS#abc", "u1", 5),
                with(unread("live1", "u1", 4), "group_type", "live"),
                with(unread("live1", "@u2", 4), "group_type", "live")));

        assertThat(requests.refusals()).extracting(Refusal::itemKey)
                .containsExactly("g1:wx_o" + "k".repeat(29), "@TGS#abc:u1", "live1:u1", "live1:@u2");
        assertThat(requests.refusals()).extracting(Refusal::rule)
                .containsExactly(Refusal.USER_ID, Refusal.GROUP_ID, Refusal.GROUP_TYPE, Refusal.USER_ID);
        assertThat(requests.itemCount()).isEqualTo(1);
    }

    @Test
    void columnNamesAreMatchedInAnyCaseAndTheSameRowsGiveEqualRequests() {
        List<Map<String, Object>> rows = List.of(unread("g1", "u1", 3), unread("g1", "u2", 0), unread("g2", "u3", 9));

        assertThat(builder.build(Rows.upperCase(rows))).isEqualTo(builder.build(rows));
        assertThat(Rows.json(new UnreadRequests().build(rows))).isEqualTo(Rows.json(builder.build(rows)));
    }

    @Test
    void unreadCountIsRequired() {
        assertThatThrownBy(() -> builder.build(List.of(row("group_id", "g1", "user_id", "u1"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("member-unread")
                .hasMessageContaining("'unread_count'");
    }
}
