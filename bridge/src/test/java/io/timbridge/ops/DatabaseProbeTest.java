package io.timbridge.ops;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseProbeTest {
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        executor.shutdownNow();
    }

    @Test
    void aDatabaseThatAnswersHasNoProblem() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:probe");
        assertThat(new DatabaseProbe(h2, Duration.ofSeconds(2), executor).problem()).isEmpty();
    }

    @Test
    void aDatabaseThatRefusesIsAProblemWithTheReason() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:tcp://127.0.0.1:1/nothing-here");
        assertThat(new DatabaseProbe(h2, Duration.ofSeconds(5), executor).problem()).hasValueSatisfying(p ->
                assertThat(p).contains("Connection refused"));
    }

    @Test
    void aDatabaseThatHangsCostsTheTimeoutAndOnlyOneProbeAtATime() {
        AtomicInteger attempts = new AtomicInteger();
        DatabaseProbe probe = new DatabaseProbe(hanging(attempts), Duration.ofMillis(200), executor);

        long start = System.nanoTime();
        assertThat(probe.problem()).hasValue("no answer within 200 ms");
        assertThat(probe.problem()).hasValue("no answer within 200 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(attempts).as("the second check waits on the hanging probe").hasValue(1);
    }

    /** A DataSource whose getConnection blocks until the test ends, as a database behind a dead network does. */
    private DataSource hanging(AtomicInteger attempts) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        attempts.incrementAndGet();
                        release.await();
                        throw new java.sql.SQLException("released");
                    }
                    return method.getName().equals("getLogWriter") ? new PrintWriter(System.out) : null;
                });
    }
}
