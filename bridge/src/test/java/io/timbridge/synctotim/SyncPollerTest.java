package io.timbridge.synctotim;

import io.timbridge.convert.TimCall;
import io.timbridge.state.Checkpoints;
import io.timbridge.state.DeadLetters;
import io.timbridge.state.StateSchema;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The poller's cursor rules, cycle by cycle, with the route's steps played by the test. */
class SyncPollerTest {
    private final CamelContext camel = new DefaultCamelContext();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<Map<String, Object>> table = new ArrayList<>();
    private final Set<String> heldLanes = new HashSet<>();
    private final Set<Long> failing = new HashSet<>();
    private final List<Long> sent = new ArrayList<>();
    /** The after_id of every page query, in order. */
    private final List<Long> scannedAfter = new ArrayList<>();
    private Checkpoints checkpoints;
    private DeadLetters deadLetters;
    private SyncPoller poller;

    private final SyncSource source = new SyncSource() {
        @Override
        public String routeId() {
            return "sync-test";
        }

        @Override
        public long id(Map<String, Object> row) {
            return ((Number) row.get("id")).longValue();
        }

        @Override
        public String lane(Map<String, Object> row) {
            return (String) row.get("lane");
        }

        @Override
        public boolean ready(String lane) {
            return !heldLanes.contains(lane);
        }

        @Override
        public Optional<TimCall> call(SyncItem item) {
            if ("refused".equals(item.row().get("lane"))) {
                throw new RowRefusedException("user-id", "bad id");
            }
            return Optional.of(new TimCall(TimApi.IMPORTMSG, Map.of("id", item.id()), List.of(item.key())));
        }
    };

    /** The code TIM answers for the rows in {@code failing}: retryable unless a test says otherwise. */
    private int failCode = 70169;

    @BeforeEach
    void setUp() {
        JdbcDataSource state = new JdbcDataSource();
        state.setURL("jdbc:h2:mem:poller_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        StateSchema.migrate(state);
        checkpoints = new Checkpoints(state);
        deadLetters = new DeadLetters(state);
        poller = new SyncPoller(source, checkpoints, deadLetters, () -> 0, 3, 100, 10, 1000, now::get);
    }

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    private void insert(long id, String lane) {
        table.add(Map.of("id", id, "lane", lane));
    }

    /** A row the page query leaves out, as it does the bridge's own rows. */
    private void insertBridgeRow(long id) {
        table.add(Map.of("id", id, "lane", "bridge", "bridge", true));
    }

    /** One cycle as the route runs it: pages after the cursor, lanes, calls (failing ones retry later), commit. */
    private void cycle() {
        Exchange exchange = new DefaultExchange(camel);
        table.stream().mapToLong(r -> ((Number) r.get("id")).longValue()).max()
                .ifPresent(last -> exchange.getMessage().setHeader(SyncPoller.LAST_ID, last));
        poller.begin(exchange);
        while (exchange.getProperty(SyncPoller.MORE, Boolean.class)) {
            poller.query(exchange);
            long after = ((Number) exchange.getMessage().getBody(Map.class).get("after_id")).longValue();
            scannedAfter.add(after);
            exchange.getMessage().setBody(table.stream()
                    .filter(r -> ((Number) r.get("id")).longValue() > after && !r.containsKey("bridge"))
                    .sorted((a, b) -> Long.compare(((Number) a.get("id")).longValue(), ((Number) b.get("id")).longValue()))
                    .limit(3).toList());
            poller.read(exchange);
        }
        poller.lanes(exchange);
        @SuppressWarnings("unchecked")
        List<Lane> lanes = exchange.getMessage().getBody(List.class);
        for (Lane lane : lanes) {
            for (SyncItem item : lane.items()) {
                Exchange one = new DefaultExchange(camel);
                one.getMessage().setBody(item);
                poller.prepare(one);
                if (!one.getProperty(SyncPoller.SEND, Boolean.class)) {
                    continue;
                }
                if (failing.contains(item.id())) {
                    one.setProperty(Exchange.EXCEPTION_CAUGHT, new TimException("openim/importmsg", failCode,
                            "injected"));
                    poller.failed(one);
                } else {
                    sent.add(item.id());
                    poller.answered(one);
                }
            }
        }
        poller.commit(exchange);
    }

    /** TIM refuses the app (a wrong secret in the window before it is fixed): rows wait, none is a dead letter. */
    @Test
    void whileTimRefusesTheAppEveryRowWaitsAndNoneBecomesADeadLetter() {
        for (long id = 1; id <= 4; id++) {
            insert(id, id % 2 == 0 ? "even" : "odd");
            failing.add(id);
        }
        failCode = 70009;
        for (int i = 0; i < 3; i++) {
            cycle();
            now.addAndGet(5_000);
        }

        assertThat(sent).isEmpty();
        assertThat(deadLetters.list(DeadLetters.OPEN, "sync-test", 10)).isEmpty();
        assertThat(poller.committed()).isZero();

        failing.clear();
        cycle();
        now.addAndGet(200);
        cycle();
        assertThat(sent).containsExactly(1L, 3L, 2L, 4L);
        assertThat(poller.committed()).isEqualTo(4);
    }

    @Test
    void theCursorStaysBelowAWaitingRowAndItsLaneKeepsItsOrder() {
        for (long id = 1; id <= 5; id++) {
            insert(id, id % 2 == 0 ? "even" : "odd");
        }
        failing.add(2L);
        cycle();
        now.addAndGet(200);
        cycle();

        assertThat(sent).containsExactly(1L, 3L, 5L);
        assertThat(poller.committed()).isEqualTo(1);
        assertThat(poller.pendingCount()).isEqualTo(2);

        failing.clear();
        cycle();
        now.addAndGet(200);
        cycle();
        assertThat(sent).containsExactly(1L, 3L, 5L, 2L, 4L);
        assertThat(poller.committed()).isEqualTo(5);
        assertThat(checkpoints.position("sync-test", SyncPoller.SCOPE, "?")).isEqualTo("5");
    }

    @Test
    void aRowCommittedLateWithALowerIdIsStillSentWithinTheSettleWindow() {
        insert(1, "a");
        insert(3, "a");
        cycle();
        insert(2, "b");
        now.addAndGet(50);
        cycle();
        now.addAndGet(200);
        cycle();

        assertThat(sent).containsExactly(1L, 3L, 2L);
        assertThat(poller.committed()).isEqualTo(3);
    }

    @Test
    void aHeldLaneWaitsWithoutStoppingTheOthersAndARefusedRowIsADeadLetter() {
        heldLanes.add("held");
        insert(1, "held");
        for (long id = 2; id <= 7; id++) {
            insert(id, id == 4 ? "refused" : "free");
        }
        cycle();
        now.addAndGet(200);
        cycle();
        now.addAndGet(200);
        cycle();

        assertThat(sent).containsExactly(2L, 3L, 5L, 6L, 7L);
        assertThat(poller.committed()).isZero();
        assertThat(deadLetters.list(DeadLetters.OPEN, "sync-test", 10)).extracting(DeadLetters.DeadLetter::itemKey)
                .containsExactly("4");

        heldLanes.clear();
        cycle();
        now.addAndGet(200);
        cycle();
        assertThat(sent).containsExactly(2L, 3L, 5L, 6L, 7L, 1L);
        assertThat(poller.committed()).isEqualTo(7);
    }

    @Test
    void theScanStartsAboveTheBridgesOwnRowsOnceTheyHaveSettled() {
        insert(1, "a");
        for (long id = 2; id <= 50; id++) {
            insertBridgeRow(id);
        }
        cycle();
        now.addAndGet(50);
        cycle();
        assertThat(scannedAfter.get(scannedAfter.size() - 1)).as("not settled yet").isZero();

        now.addAndGet(200);
        cycle();
        assertThat(scannedAfter.get(scannedAfter.size() - 1)).isEqualTo(50);
        assertThat(poller.committed()).isEqualTo(50);

        insert(51, "a");
        cycle();
        assertThat(sent).containsExactly(1L, 51L);
    }

    @Test
    void theHighestIdIsNotSkippedToWhileRowsBelowItWereNeverRead() {
        heldLanes.add("held");
        for (long id = 1; id <= 20; id++) {
            insert(id, "held");
        }
        insertBridgeRow(21);
        for (int i = 0; i < 4; i++) {
            cycle();
            now.addAndGet(200);
        }
        assertThat(poller.pendingCount()).as("reading stopped at the held-row limit").isLessThan(20);
        assertThat(poller.committed()).isZero();

        heldLanes.clear();
        for (int i = 0; i < 6; i++) {
            cycle();
            now.addAndGet(200);
        }
        assertThat(sent).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
        assertThat(poller.committed()).isEqualTo(21);
    }
}
