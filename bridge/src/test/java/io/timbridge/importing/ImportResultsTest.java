package io.timbridge.importing;

import io.timbridge.convert.TimCall;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimItemFailure;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ImportResultsTest {

    @Test
    void aFailedGroupMessageIsNamedByItsPositionInTheCall() {
        TimCall call = new TimCall(TimApi.IMPORT_GROUP_MSG, Map.of("GroupId", "g1", "MsgList", List.of(
                Map.of("Random", 1), Map.of("Random", 2), Map.of("Random", 3))), List.of("101", "102", "103"));

        assertThat(ImportResults.itemKeyOf(call, new TimItemFailure("1", 80002, "too long"))).isEqualTo("102");
    }

    @Test
    void aFailedMemberOrFriendIsNamedByItsAccountWithinTheCompositeKey() {
        TimCall members = new TimCall(TimApi.IMPORT_GROUP_MEMBER, Map.of(), List.of("g1:alice", "g1:bob"));
        TimCall friends = new TimCall(TimApi.FRIEND_IMPORT, Map.of(), List.of("u1:u2", "u1:u3"));

        assertThat(ImportResults.itemKeyOf(members, new TimItemFailure("bob", 0, ""))).isEqualTo("g1:bob");
        assertThat(ImportResults.itemKeyOf(friends, new TimItemFailure("u3", 30003, ""))).isEqualTo("u1:u3");
    }

    @Test
    void theReplayPayloadOfAGroupMessageHoldsThatMessageOnly() {
        TimCall call = new TimCall(TimApi.IMPORT_GROUP_MSG, Map.of("GroupId", "g1", "MsgList", List.of(
                Map.of("Random", 1), Map.of("Random", 2))), List.of("101", "102"));

        assertThat(ImportResults.requestFor(call, "102"))
                .containsEntry("GroupId", "g1").containsEntry("MsgList", List.of(Map.of("Random", 2)));
    }

    @Test
    void theReplayPayloadOfAnIdempotentBatchIsTheWholeBatch() {
        TimCall call = new TimCall(TimApi.MULTIACCOUNT_IMPORT, Map.of("AccountList", List.of(
                Map.of("UserID", "a"), Map.of("UserID", "b"))), List.of("a", "b"));

        assertThat(ImportResults.requestFor(call, "b")).isEqualTo(call.request());
    }
}
