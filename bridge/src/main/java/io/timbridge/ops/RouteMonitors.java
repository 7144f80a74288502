package io.timbridge.ops;

import io.timbridge.importing.DataType;
import io.timbridge.importing.ImportProgress;
import io.timbridge.synctotim.SyncPoller;
import io.timbridge.tim.TimClient;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Registers a {@link RouteMonitorMXBean} per import route and per legacy → TIM poller in the platform MBean
 * server, as {@code timbridge:context=<camel context>,type=routes,name=<route id>}, so Hawtio (through Jolokia)
 * shows them beside Camel's own beans and can chart them. The values come from the objects that count already
 * ({@link ImportProgress}, {@link SyncPoller}, the state read of {@link BridgeMetrics}); nothing is counted twice.
 */
public final class RouteMonitors {
    private final String contextName;
    private final BridgeMetrics metrics;
    private final LongSupplier clock;
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final List<ObjectName> registered = new ArrayList<>();

    public RouteMonitors(String contextName, BridgeMetrics metrics, LongSupplier clock) {
        this.contextName = contextName;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** One bean per import route. */
    public void bindImport(ImportProgress progress, TimClient tim) {
        for (DataType type : DataType.values()) {
            register(type.routeId(), new ImportMonitor(type, progress, tim));
        }
    }

    /** One bean per poller. */
    public void bindPollers(Collection<SyncPoller> pollers) {
        pollers.forEach(p -> register(p.routeId(), new PollerMonitor(p)));
    }

    /** Removes the beans, so a bridge started again in the same JVM registers its own. */
    public synchronized void unregister() {
        for (ObjectName name : registered) {
            try {
                server.unregisterMBean(name);
            } catch (JMException e) {
                // Already gone: nothing to remove.
            }
        }
        registered.clear();
    }

    public static ObjectName name(String contextName, String routeId) throws JMException {
        return new ObjectName("timbridge:context=" + value(contextName) + ",type=routes,name=" + value(routeId));
    }

    /** Plain when it can be (route ids and Camel's context names can), so Hawtio's tree and URLs read as the id. */
    private static String value(String s) {
        return s.matches("[A-Za-z0-9._-]+") ? s : ObjectName.quote(s);
    }

    private synchronized void register(String routeId, RouteMonitorMXBean bean) {
        try {
            ObjectName name = name(contextName, routeId);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(bean, name);
            registered.add(name);
        } catch (JMException e) {
            throw new IllegalStateException("cannot register the JMX bean of route " + routeId, e);
        }
    }

    /** A rate as an operator reads it: one decimal. */
    private static double tenths(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private long openDeadLetters(String routeId) {
        StateSnapshot state = metrics.state();
        return state == null ? -1 : state.openDeadLetters().getOrDefault(routeId, 0L);
    }

    private StateSnapshot.LatestDeadLetter latestDeadLetter(String routeId) {
        StateSnapshot state = metrics.state();
        return state == null ? null : state.latestDeadLetters().get(routeId);
    }

    private final class ImportMonitor implements RouteMonitorMXBean {
        private final DataType type;
        private final ImportProgress progress;
        private final TimClient tim;

        ImportMonitor(DataType type, ImportProgress progress, TimClient tim) {
            this.type = type;
            this.progress = progress;
            this.tim = tim;
        }

        @Override
        public String getDirection() {
            return "import";
        }

        @Override
        public String getState() {
            ImportProgress.Snapshot s = progress.snapshot(type);
            return s.finished() ? "finished" : s.started() ? "running" : "not started";
        }

        @Override
        public long getDone() {
            return progress.snapshot(type).processed();
        }

        @Override
        public long getExpected() {
            return progress.snapshot(type).total();
        }

        @Override
        public double getItemsPerSecond() {
            return tenths(progress.snapshot(type).rate());
        }

        @Override
        public long getEtaSeconds() {
            ImportProgress.Snapshot s = progress.snapshot(type);
            return s.total() < 0 ? -1 : s.eta(tim.itemsPerSecond(type.api())).toSeconds();
        }

        @Override
        public double getLagSeconds() {
            return 0;
        }

        @Override
        public long getRowsWaiting() {
            ImportProgress.Snapshot s = progress.snapshot(type);
            return s.total() < 0 || s.finished() ? 0 : Math.max(0, s.total() - s.processed());
        }

        @Override
        public long getOpenDeadLetters() {
            return openDeadLetters(type.routeId());
        }

        @Override
        public long getFailuresHandled() {
            return progress.snapshot(type).deadLettered();
        }

        @Override
        public String getLastError() {
            StateSnapshot.LatestDeadLetter d = latestDeadLetter(type.routeId());
            return d == null ? "" : d.reason();
        }

        @Override
        public int getLastErrorCode() {
            StateSnapshot.LatestDeadLetter d = latestDeadLetter(type.routeId());
            return d == null || d.errorCode() == null ? 0 : d.errorCode();
        }
    }

    private final class PollerMonitor implements RouteMonitorMXBean {
        private final SyncPoller poller;
        private final long startedAt = clock.getAsLong();

        PollerMonitor(SyncPoller poller) {
            this.poller = poller;
        }

        @Override
        public String getDirection() {
            return "legacy -> TIM";
        }

        @Override
        public String getState() {
            SyncPoller.Failure f = poller.lastFailure();
            return poller.pendingCount() > 0 && f != null && clock.getAsLong() - f.at() < 60_000 ? "retrying"
                    : "polling";
        }

        @Override
        public long getDone() {
            return poller.processed();
        }

        @Override
        public long getExpected() {
            return -1;
        }

        @Override
        public double getItemsPerSecond() {
            long elapsed = clock.getAsLong() - startedAt;
            return elapsed <= 0 ? 0 : tenths(poller.processed() * 1000.0 / elapsed);
        }

        @Override
        public long getEtaSeconds() {
            return -1;
        }

        @Override
        public double getLagSeconds() {
            return BridgeMetrics.legacyToTimLagSeconds(List.of(poller), clock.getAsLong());
        }

        @Override
        public long getRowsWaiting() {
            return poller.pendingCount();
        }

        @Override
        public long getOpenDeadLetters() {
            return openDeadLetters(poller.routeId());
        }

        @Override
        public long getFailuresHandled() {
            return poller.failures();
        }

        @Override
        public String getLastError() {
            SyncPoller.Failure f = poller.lastFailure();
            StateSnapshot.LatestDeadLetter d = latestDeadLetter(poller.routeId());
            if (f == null) {
                return d == null ? "" : d.reason();
            }
            return d != null && d.createdAt() > f.at() ? d.reason() : f.reason();
        }

        @Override
        public int getLastErrorCode() {
            SyncPoller.Failure f = poller.lastFailure();
            StateSnapshot.LatestDeadLetter d = latestDeadLetter(poller.routeId());
            Integer code = f == null || (d != null && d.createdAt() > f.at()) ? (d == null ? null : d.errorCode())
                    : f.errorCode();
            return code == null ? 0 : code;
        }
    }
}
