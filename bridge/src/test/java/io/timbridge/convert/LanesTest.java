package io.timbridge.convert;

import io.timbridge.tim.TimApi;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LanesTest {

    private static TimCall call(String group, int n) {
        return new TimCall(TimApi.IMPORT_GROUP_MSG, Map.of("GroupId", group), List.of(group + ":" + n));
    }

    @Test
    void thePagesLongestLaneComesFirstAndEachLaneKeepsItsOrder() {
        Lanes lanes = new Lanes();
        lanes.add("small", call("small", 1));
        lanes.add("big", call("big", 1));
        lanes.add("other", call("other", 1));
        lanes.add("big", call("big", 2));
        lanes.add("big", call("big", 3));
        lanes.add("middle", call("middle", 1));
        lanes.add("middle", call("middle", 2));

        assertThat(lanes.requests().lanes()).extracting(lane -> lane.stream().map(c -> c.itemKeys().get(0)).toList())
                .containsExactly(List.of("big:1", "big:2", "big:3"), List.of("middle:1", "middle:2"),
                        List.of("small:1"), List.of("other:1"));
    }
}
