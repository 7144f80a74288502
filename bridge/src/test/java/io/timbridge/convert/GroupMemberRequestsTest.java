package io.timbridge.convert;

import static io.timbridge.convert.Rows.row;
import static io.timbridge.convert.Rows.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.timbridge.tim.TimApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupMemberRequestsTest {

    /** CreateTime 1_679_999_999. */
    private static final long FIRST_EVENT = 1_680_000_000_500L;
    private final GroupMemberRequests builder = new GroupMemberRequests(20);

    private static Map<String, Object> member(String group, String user, String role, long joinedAt) {
        return row("group_id", group, "user_id", user, "role", role, "joined_at_ms", joinedAt,
                "first_event_at_ms", FIRST_EVENT);
    }

    private static List<Map<String, Object>> members(String group, int count) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(member(group, "u" + (100 + i), "member", FIRST_EVENT + 60_000L * i));
        }
        return rows;
    }

    @Test
    void membersAreImportedWithAdminRoleAndJoinTimeAndTheOwnerIsSkipped() {
        Requests requests = builder.build(List.of(
                member("g1", "u1", "owner", FIRST_EVENT),
                member("g1", "u2", "admin", 1_680_000_100_999L),
                member("g1", "u3", "member", 1_680_000_200_000L),
                member("g1", "u4", null, 1_680_000_300_000L)));

        assertThat(requests.refusals()).isEmpty();
        TimCall call = requests.calls().get(0);
        assertThat(call.api()).isEqualTo(TimApi.IMPORT_GROUP_MEMBER);
        assertThat(call.request()).isEqualTo(Map.of("GroupId", "g1", "MemberList", List.of(
                Map.of("Member_Account", "u2", "Role", "Admin", "JoinTime", 1_680_000_100L),
                Map.of("Member_Account", "u3", "JoinTime", 1_680_000_200L),
                Map.of("Member_Account", "u4", "JoinTime", 1_680_000_300L))));
        assertThat(call.itemKeys()).containsExactly("g1:u2", "g1:u3", "g1:u4");
    }

    @Test
    void aJoinNotLaterThanCreateTimeIsMovedToTheSecondAfterIt() {
        Requests requests = builder.build(List.of(
                member("g1", "early", "member", 1_600_000_000_000L),
                member("g1", "same-second", "member", FIRST_EVENT),
                member("g1", "next-second", "member", 1_680_000_001_000L)));

        assertThat(Rows.list(requests.calls().get(0).request().get("MemberList")))
                .extracting(m -> m.get("JoinTime")).containsExactly(1_680_000_000L, 1_680_000_000L, 1_680_000_001L);
    }

    @Test
    void aGroupsMembersAreSplitAtTheBatchSizeInOneLaneAndEachGroupHasItsOwnLane() {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(member("g1", "a-owner", "owner", FIRST_EVENT));
        rows.addAll(members("g1", 45));
        rows.addAll(members("g2", 3));

        Requests requests = builder.build(rows);

        assertThat(requests.lanes()).hasSize(2);
        assertThat(requests.lanes().get(0)).extracting(call -> call.itemKeys().size()).containsExactly(20, 20, 5);
        assertThat(requests.lanes().get(0).get(0).itemKeys()).startsWith("g1:u100", "g1:u101");
        assertThat(requests.lanes().get(0).get(2).itemKeys()).endsWith("g1:u144");
        assertThat(requests.lanes().get(1)).singleElement().satisfies(call -> {
            assertThat(call.request().get("GroupId")).isEqualTo("g2");
            assertThat(call.itemKeys()).containsExactly("g2:u100", "g2:u101", "g2:u102");
        });
        assertThat(requests.itemCount()).isEqualTo(48);
    }

    @Test
    void aBadMemberIsRefusedAndTheOthersStillGo() {
        String id33 = "wx_o" + "m".repeat(29);

        Requests requests = builder.build(List.of(member("g1", "u".repeat(32), "member", FIRST_EVENT + 5000),
                member("g1", id33, "admin", FIRST_EVENT + 6000), member("g1", "u2", "member", FIRST_EVENT + 7000)));

        assertThat(requests.calls().get(0).itemKeys()).containsExactly("g1:" + "u".repeat(32), "g1:u2");
        assertThat(requests.refusals()).singleElement().satisfies(refusal -> {
            assertThat(refusal.itemKey()).isEqualTo("g1:" + id33);
            assertThat(refusal.rule()).isEqualTo(Refusal.USER_ID);
            assertThat(refusal.reason()).contains("Member_Account", "33 bytes", "at most 32");
        });
    }

    @Test
    void membersOfALiveGroupAreRefusedWhenTheRowsCarryTheGroupTypeAfterTheirOwnRule() {
        List<Map<String, Object>> rows = List.of(
                with(member("live1", "u0", "owner", FIRST_EVENT), "group_type", "live"),
                with(member("live1", "u1", "member", FIRST_EVENT), "group_type", "live"),
                with(member("live1", "u2", "admin", FIRST_EVENT), "group_type", "live"),
                with(member("live1", "@u3", "member", FIRST_EVENT), "group_type", "live"),
                with(member("g2", "u1", "member", FIRST_EVENT), "group_type", "community"));

        Requests requests = builder.build(rows);

        assertThat(requests.refusals()).extracting(Refusal::itemKey, Refusal::rule).containsExactly(
                tuple("live1:u1", Refusal.GROUP_TYPE), tuple("live1:u2", Refusal.GROUP_TYPE),
                tuple("live1:@u3", Refusal.USER_ID));
        assertThat(requests.refusals().get(0).reason()).contains("'live'", "AVChatRoom");
        assertThat(requests.calls()).singleElement().extracting(TimCall::itemKeys).isEqualTo(List.of("g2:u1"));
    }

    @Test
    void withoutAGroupTypeColumnTheTypeIsNotChecked() {
        assertThat(builder.build(List.of(member("live1", "u1", "member", FIRST_EVENT))).itemCount()).isEqualTo(1);
    }

    @Test
    void membersOfAGroupWithABadIdAreRefused() {
        Requests requests = builder.build(List.of(member("群1", "u1", "member", FIRST_EVENT)));

        assertThat(requests.refusals()).extracting(Refusal::rule).containsExactly(Refusal.GROUP_ID);
    }

    @Test
    void columnNamesAreMatchedInAnyCaseAndTheSameRowsGiveEqualRequests() {
        List<Map<String, Object>> rows = new ArrayList<>(members("g1", 25));
        rows.add(member("g1", "zz", "admin", FIRST_EVENT + 1));

        assertThat(builder.build(Rows.upperCase(rows))).isEqualTo(builder.build(rows));
        assertThat(Rows.json(new GroupMemberRequests(20).build(rows))).isEqualTo(Rows.json(builder.build(rows)));
    }

    @Test
    void joinedAtAndFirstEventAreRequired() {
        assertThatThrownBy(() -> builder.build(List.of(Rows.without(member("g1", "u1", "member", 1L), "first_event_at_ms"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'first_event_at_ms'");
        assertThatThrownBy(() -> builder.build(List.of(Rows.without(member("g1", "u1", "member", 1L), "joined_at_ms"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group-members")
                .hasMessageContaining("'joined_at_ms'");
    }
}
