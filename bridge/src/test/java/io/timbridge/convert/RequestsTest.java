package io.timbridge.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timbridge.tim.TimApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestsTest {

    private static TimCall call(String... keys) {
        return new TimCall(TimApi.IMPORT_GROUP_MEMBER, Map.of("GroupId", "g1"), List.of(keys));
    }

    @Test
    void callsAreFlattenedLaneAfterLaneAndItemsCounted() {
        TimCall a = call("g1:u1", "g1:u2");
        TimCall b = call("g1:u3");
        TimCall c = call("g2:u1");
        Requests requests = new Requests(List.of(List.of(a, b), List.of(c)), List.of());

        assertThat(requests.calls()).containsExactly(a, b, c);
        assertThat(requests.callCount()).isEqualTo(3);
        assertThat(requests.itemCount()).isEqualTo(4);
    }

    @Test
    void requestsCannotBeChangedAfterBuilding() {
        List<TimCall> lane = new ArrayList<>(List.of(call("k")));
        Requests requests = new Requests(List.of(lane), List.of());
        lane.add(call("later"));

        assertThat(requests.itemCount()).isEqualTo(1);
        assertThatThrownBy(() -> requests.lanes().get(0).add(call("x"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> requests.calls().get(0).request().put("x", 1))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void requestsSerializeWithTheirFieldsInOrder() {
        Requests requests = new Requests(List.of(List.of(call("g1:u1"))),
                List.of(new Refusal("g1:@x", Refusal.USER_ID, "Member_Account '@x' starts with '@'", Map.of("user_id", "@x"))));

        assertThat(Rows.json(requests)).isEqualTo("{\"lanes\":[[{\"api\":\"IMPORT_GROUP_MEMBER\",\"request\":{\"GroupId\":\"g1\"},"
                + "\"itemKeys\":[\"g1:u1\"]}]],\"refusals\":[{\"itemKey\":\"g1:@x\",\"rule\":\"user-id\","
                + "\"reason\":\"Member_Account '@x' starts with '@'\",\"row\":{\"user_id\":\"@x\"}}]}");
    }
}
