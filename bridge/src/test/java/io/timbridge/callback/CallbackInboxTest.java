package io.timbridge.callback;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.timbridge.state.StateSchema;
import io.timbridge.sync.CallbackEvent;
import io.timbridge.testsupport.TestDatabases;
import io.timbridge.testsupport.TestDatabases.Kind;
import io.timbridge.testsupport.TestDatabases.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The callback inbox on each database the bridge state may live on. */
class CallbackInboxTest {
    private TestDatabase database;

    @AfterEach
    void close() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    private CallbackInbox inbox(Kind kind) {
        database = TestDatabases.create(kind);
        StateSchema.migrate(database.dataSource());
        return new CallbackInbox(database.dataSource());
    }

    private static CallbackEvent.GroupMessage groupMessage(String groupId, long seq, boolean echo) {
        return new CallbackEvent.GroupMessage(groupId, null, "alice", "alice", 1, seq, 1_700_000_000L, false,
                JsonNodeFactory.instance.arrayNode(), "", echo);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aReplayedCallbackIsStoredOnceAndKeysAreCaseSensitive(Kind kind) {
        CallbackInbox inbox = inbox(kind);

        assertThat(inbox.store(groupMessage("grp", 1, false), "Android", "{\"a\":\"x'); DROP TABLE t; --\"}")).isTrue();
        assertThat(inbox.store(groupMessage("grp", 1, false), "Android", "{}")).isFalse();
        assertThat(inbox.store(groupMessage("GRP", 1, false), "Android", "{}")).isTrue();

        assertThat(inbox.count(CallbackInbox.NEW)).isEqualTo(2);
        assertThat(inbox.find(1).orElseThrow().payload()).isEqualTo("{\"a\":\"x'); DROP TABLE t; --\"}");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anEventThatWritesNothingIsStoredAsSkippedAndAnOutcomeIsRecordedOnce(Kind kind) {
        CallbackInbox inbox = inbox(kind);
        inbox.store(groupMessage("grp", 1, true), "RESTAPI", "{}");
        inbox.store(groupMessage("grp", 2, false), "Android", "{}");

        inbox.finish(2, CallbackInbox.APPLIED);
        inbox.finish(2, CallbackInbox.DEAD);

        assertThat(List.of(inbox.count(CallbackInbox.SKIPPED), inbox.count(CallbackInbox.APPLIED),
                inbox.count(CallbackInbox.DEAD), inbox.count(CallbackInbox.NEW))).containsExactly(1L, 1L, 0L, 0L);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void thePurgeForgetsOnlyCallbacksDoneBeforeTheRetention(Kind kind) throws Exception {
        CallbackInbox inbox = inbox(kind);
        inbox.store(groupMessage("grp", 1, true), "RESTAPI", "{}");
        inbox.store(groupMessage("grp", 2, false), "Android", "{}");
        inbox.store(groupMessage("grp", 3, false), "Android", "{}");
        inbox.store(groupMessage("grp", 4, false), "Android", "{}");
        inbox.finish(2, CallbackInbox.APPLIED);
        inbox.finish(3, CallbackInbox.DEAD);

        assertThat(inbox.purgeDone(60_000)).as("nothing is old enough yet").isZero();
        Thread.sleep(20);
        assertThat(inbox.purgeDone(10)).isEqualTo(2);

        assertThat(List.of(inbox.count(CallbackInbox.SKIPPED), inbox.count(CallbackInbox.APPLIED),
                inbox.count(CallbackInbox.DEAD), inbox.count(CallbackInbox.NEW))).containsExactly(0L, 0L, 1L, 1L);
        assertThat(inbox.store(groupMessage("grp", 2, false), "Android", "{}")).as("stored anew after the purge").isTrue();
    }
}
