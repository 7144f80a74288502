package io.timbridge.verify;

import io.timbridge.verify.MessageComparator.Msg;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MessageComparatorTest {
    private final TypeResult result = new TypeResult("c2c-history", 50);

    private static Msg msg(long id, long time, String body) {
        return Msg.of("id " + id, "a:b:" + id, Long.toString(id), time, "a",
                List.of(java.util.Map.of("MsgType", "TIMTextElem", "MsgContent", java.util.Map.of("Text", body))));
    }

    @Test
    void theSameMessagesInTheSameOrderMatch() {
        List<Msg> both = List.of(msg(1, 10, "x"), msg(2, 11, "y"), msg(3, 12, "z"));
        MessageComparator.compare(both, both, result);

        assertThat(result.matching()).isEqualTo(3);
        assertThat(result.matches()).isTrue();
    }

    @Test
    void aMessageOnlyOneSideHoldsIsMissingOnTheOther() {
        MessageComparator.compare(List.of(msg(1, 10, "x"), msg(2, 11, "y")), List.of(msg(1, 10, "x"), msg(9, 12, "q")),
                result);

        assertThat(result.matching()).isEqualTo(1);
        assertThat(result.differences()).containsExactly(Difference.missingInTim("a:b:2", "y"),
                Difference.missingInLegacy("a:b:9", "q"));
    }

    @Test
    void changedContentIsFoundByItsChecksum() {
        MessageComparator.compare(List.of(msg(1, 10, "x")), List.of(msg(1, 10, "changed")), result);

        assertThat(result.different()).isEqualTo(1);
        assertThat(result.differences()).extracting(Difference::field).containsExactly("MsgBody");
        assertThat(result.differences().get(0).legacy()).startsWith("x #");
        assertThat(result.differences().get(0).tim()).startsWith("changed #");
    }

    @Test
    void onlyTheMessageThatMovedIsReportedAsReordered() {
        List<Msg> legacy = List.of(msg(1, 10, "x"), msg(2, 11, "y"), msg(3, 12, "z"), msg(4, 13, "w"));
        List<Msg> tim = List.of(msg(1, 10, "x"), msg(3, 12, "z"), msg(4, 13, "w"), msg(2, 11, "y"));
        MessageComparator.compare(legacy, tim, result);

        assertThat(result.matching()).isEqualTo(3);
        assertThat(result.different()).isEqualTo(1);
        assertThat(result.differences()).containsExactly(
                Difference.reordered("a:b:2", "message 2 of 4", "message 4 of 4"));
    }

    @Test
    void anExcerptShowsTextAndNamesOtherElementsWithinEightyCharacters() {
        var image = java.util.Map.of("MsgType", "TIMImageElem", "MsgContent", java.util.Map.of("UUID", "x"));
        var text = java.util.Map.of("MsgType", "TIMTextElem", "MsgContent", java.util.Map.of("Text", "你好"));

        assertThat(MessageChecksum.excerpt(List.of(text, image))).isEqualTo("你好 [TIMImageElem]");
        assertThat(MessageChecksum.excerpt(List.of(java.util.Map.of("MsgType", "TIMTextElem", "MsgContent",
                java.util.Map.of("Text", "y".repeat(200)))))).hasSize(80).endsWith("…");
    }

    @Test
    void longestIncreasingRunMarksTheElementsInOrder() {
        boolean[] marked = MessageComparator.longestIncreasing(new int[]{0, 3, 1, 2});

        assertThat(marked).containsExactly(true, false, true, true);
    }

    @Test
    void checksumsIgnoreTheOrderOfKeys() {
        var a = new java.util.LinkedHashMap<String, Object>();
        a.put("MsgType", "TIMTextElem");
        a.put("MsgContent", java.util.Map.of("Text", "hi"));
        var b = new java.util.LinkedHashMap<String, Object>();
        b.put("MsgContent", java.util.Map.of("Text", "hi"));
        b.put("MsgType", "TIMTextElem");

        assertThat(MessageChecksum.of(List.of(a))).isEqualTo(MessageChecksum.of(List.of(b)));
    }
}
