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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Group commit of the callback endpoint, on each database the bridge state may live on. */
class InboxWriterTest {
    private TestDatabase database;
    private InboxWriter writer;

    @AfterEach
    void close() throws Exception {
        if (writer != null) {
            writer.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static CallbackEvent message(int seq) {
        return new CallbackEvent.GroupMessage("grp-" + seq % 7, null, "alice", "alice", 1, seq, 1_700_000_000L, false,
                JsonNodeFactory.instance.arrayNode(), "", false);
    }

    /**
     * Many requests at once, each callback twice: every one is stored exactly once, and exactly one of its two
     * requests hears "stored" while the other hears "a replay", whether the two met in one batch or not.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentCallbacksAreEachStoredOnceAndEveryReplayIsToldSo(Kind kind) throws Exception {
        database = TestDatabases.create(kind);
        StateSchema.migrate(database.dataSource());
        CallbackInbox inbox = new CallbackInbox(database.dataSource());
        writer = new InboxWriter(inbox, 50);
        ExecutorService requests = Executors.newFixedThreadPool(32);
        List<Future<Boolean>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 2000; i++) {
                int seq = i % 1000;
                answers.add(requests.submit(() -> writer.store(message(seq), "Android", "{\"seq\":" + seq + "}")));
            }
            int stored = 0;
            for (Future<Boolean> answer : answers) {
                stored += answer.get() ? 1 : 0;
            }
            assertThat(stored).isEqualTo(1000);
        } finally {
            requests.shutdownNow();
        }
        assertThat(inbox.count(CallbackInbox.NEW)).isEqualTo(1000);
    }
}
