package io.timbridge.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares the messages of one conversation (or group) on both sides, over the window TIM can return.
 * A message is identified on both sides by one identity: for a message the bridge put into TIM, its legacy id
 * (one-to-one: given back by TIM's MsgSeq and MsgRandom) or the MsgSeq the id map holds for it (group); for a
 * message that came from TIM, the TIM identity the id map holds for its legacy row (MsgKey, or MsgSeq).
 * Each message counts once: matching, missing on a side, or different when its content checksum, time or
 * sender differ, or when it stands in another position among the messages both sides hold.
 */
public final class MessageComparator {

    /**
     * One message: its identity, the key reported (conversation and legacy id, or TIM's message key for a
     * message only TIM has), the import's item key (the legacy id, for its dead letters), its time in seconds,
     * sender and body checksum.
     */
    public record Msg(String identity, String key, String itemKey, long time, String sender, String checksum,
                      String text) {
        /** A message of a body: its checksum and the excerpt a report shows ({@link MessageChecksum}). */
        public static Msg of(String identity, String key, String itemKey, long time, String sender, Object msgBody) {
            return new Msg(identity, key, itemKey, time, sender, MessageChecksum.of(msgBody),
                    MessageChecksum.excerpt(msgBody));
        }

        public Msg withIdentity(String other) {
            return new Msg(other, key, itemKey, time, sender, checksum, text);
        }
    }

    private MessageComparator() {
    }

    /**
     * @param expected the legacy messages as the import sends them, in the conversation's legacy order
     * @param actual   the messages TIM returned, in TIM's order (oldest first)
     */
    public static void compare(List<Msg> expected, List<Msg> actual, TypeResult result) {
        Map<String, Msg> timByIdentity = new HashMap<>();
        actual.forEach(m -> timByIdentity.put(m.identity(), m));
        Set<String> expectedIds = new HashSet<>();
        expected.forEach(m -> expectedIds.add(m.identity()));

        // Positions in TIM of the messages both sides hold, in legacy order; the longest increasing run of
        // them is in order, every other one stands elsewhere.
        Map<String, Integer> timPosition = new HashMap<>();
        for (int i = 0; i < actual.size(); i++) {
            timPosition.put(actual.get(i).identity(), i);
        }
        List<Msg> both = new ArrayList<>();
        for (Msg m : expected) {
            if (timPosition.containsKey(m.identity())) {
                both.add(m);
            }
        }
        int[] positions = both.stream().mapToInt(m -> timPosition.get(m.identity())).toArray();
        boolean[] inOrder = longestIncreasing(positions);

        int shared = 0;
        for (Msg want : expected) {
            Msg have = timByIdentity.get(want.identity());
            if (have == null) {
                result.missingMessageInTim(want.key(), want.itemKey(), want.time(), want.text());
                continue;
            }
            List<Difference> differences = new ArrayList<>();
            if (!want.checksum().equals(have.checksum())) {
                differences.add(Difference.different(want.key(), "MsgBody", want.text() + " #" + want.checksum(),
                        have.text() + " #" + have.checksum()));
            }
            if (want.time() != have.time()) {
                differences.add(Difference.different(want.key(), "MsgTimeStamp", Long.toString(want.time()),
                        Long.toString(have.time())));
            }
            if (want.sender() != null && !want.sender().equals(have.sender())) {
                differences.add(Difference.different(want.key(), "From_Account", want.sender(), have.sender()));
            }
            if (!inOrder[shared]) {
                differences.add(Difference.reordered(want.key(), "message " + (shared + 1) + " of " + both.size(),
                        "message " + (positions[shared] + 1) + " of " + actual.size()));
            }
            shared++;
            if (differences.isEmpty()) {
                result.matched();
            } else {
                result.different(differences);
            }
        }
        for (Msg have : actual) {
            if (!expectedIds.contains(have.identity())) {
                result.missingMessageInLegacy(have.key(), have.text());
            }
        }
    }

    /** Marks the elements of one longest strictly increasing subsequence (patience sorting, n log n). */
    static boolean[] longestIncreasing(int[] a) {
        int n = a.length;
        int[] tailIndex = new int[n];
        int[] previous = new int[n];
        int length = 0;
        for (int i = 0; i < n; i++) {
            int lo = 0;
            int hi = length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a[tailIndex[mid]] < a[i]) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            previous[i] = lo > 0 ? tailIndex[lo - 1] : -1;
            tailIndex[lo] = i;
            if (lo == length) {
                length++;
            }
        }
        boolean[] marked = new boolean[n];
        Arrays.fill(marked, false);
        for (int i = length == 0 ? -1 : tailIndex[length - 1]; i >= 0; i = previous[i]) {
            marked[i] = true;
        }
        return marked;
    }
}
