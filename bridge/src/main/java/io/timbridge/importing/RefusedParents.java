package io.timbridge.importing;

import io.timbridge.convert.Refusal;
import io.timbridge.convert.Requests;
import io.timbridge.convert.TimCall;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A group the import refused never reaches TIM, so TIM would refuse its members, messages and unread counts
 * in turn (10010). Those calls are held back as refusals that name the parent's refusal instead of being sent
 * to fail one by one; a replay that brings the group in brings them with it. The dry run predicts the same.
 */
public final class RefusedParents {
    private RefusedParents() {
    }

    /** Whether the data type's calls belong to a group (and so cannot go before their group is in TIM). */
    public static boolean dependsOnGroups(DataType type) {
        return type == DataType.GROUP_MEMBERS || type == DataType.GROUP_HISTORY || type == DataType.MEMBER_UNREAD;
    }

    /** The requests without the calls of refused groups, which are added to the refusals instead. */
    public static Requests hold(DataType type, Requests requests, Predicate<String> groupRefused) {
        if (!dependsOnGroups(type)) {
            return requests;
        }
        List<Refusal> refusals = new ArrayList<>(requests.refusals());
        List<List<TimCall>> lanes = new ArrayList<>();
        boolean held = false;
        for (List<TimCall> lane : requests.lanes()) {
            List<TimCall> kept = new ArrayList<>();
            for (TimCall call : lane) {
                Object group = call.request().get("GroupId");
                if (group != null && groupRefused.test(String.valueOf(group))) {
                    held = true;
                    call.itemKeys().forEach(key -> refusals.add(new Refusal(key, Refusal.GROUP_NOT_IN_TIM,
                            "group " + group + " is not in TIM: its import was refused (dead letter of import-groups;"
                                    + " fix it and replay), and TIM refuses this with it (10010)", call.request())));
                } else {
                    kept.add(call);
                }
            }
            lanes.add(kept);
        }
        return held ? new Requests(lanes, refusals) : requests;
    }
}
