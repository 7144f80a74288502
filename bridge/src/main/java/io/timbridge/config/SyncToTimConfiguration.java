package io.timbridge.config;

import io.timbridge.legacy.DatabaseErrors;
import io.timbridge.convert.MessageConverter;
import io.timbridge.state.Checkpoints;
import io.timbridge.state.DeadLetters;
import io.timbridge.state.IdMap;
import io.timbridge.sync.SyncSql;
import io.timbridge.synctotim.C2cMessagesToTim;
import io.timbridge.synctotim.ChangeLogPurge;
import io.timbridge.synctotim.GroupChangesToTim;
import io.timbridge.synctotim.GroupMessagesToTim;
import io.timbridge.synctotim.ImportGate;
import io.timbridge.synctotim.NamedQuery;
import io.timbridge.synctotim.SyncFailures;
import io.timbridge.synctotim.SyncPoller;
import io.timbridge.synctotim.SyncSource;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimClient;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongSupplier;

/**
 * Beans of the legacy → TIM sync routes ({@code routes/sync/legacy-to-tim/}): one {@link SyncPoller} per
 * route, bound under the route id, and each route's lane pool ({@code syncLanes-<route id>}).
 */
public class SyncToTimConfiguration implements CamelConfiguration {
    /** Legacy query for a group's current members, by {@code :#group_id}: {@code user_id}, {@code role}. */
    static final String GROUP_MEMBERS_KEY = "legacy.sync.group-members.sql";
    static final String GROUP_MEMBERS_SQL = "SELECT user_id, role FROM group_members WHERE group_id = :#group_id ORDER BY id";

    @Override
    public void configure(CamelContext context) throws Exception {
        Properties props = Settings.resolved(context, "legacy.sync.", "bridge.sync.");
        Registry registry = context.getRegistry();
        Checkpoints checkpoints = registry.lookupByNameAndType("checkpoints", Checkpoints.class);
        DeadLetters deadLetters = registry.lookupByNameAndType("deadLetters", DeadLetters.class);
        IdMap idMap = registry.lookupByNameAndType("idMap", IdMap.class);
        DataSource legacy = registry.lookupByNameAndType("legacyDataSource", DataSource.class);
        TimClient tim = registry.lookupByNameAndType("timClient", TimClient.class);
        MessageConverter converter = new MessageConverter();

        if (Boolean.parseBoolean(get(props, "bridge.sync.check-tables-at-start", "true"))) {
            refuseWithoutItsTables(props, legacy);
        }
        TimPreflight.check(tim);
        ImportGate gate = new ImportGate(checkpoints,
                Boolean.parseBoolean(get(props, "bridge.sync.group-messages.wait-for-import", "true")));
        NamedQuery groupRow = new NamedQuery(legacy, get(props, SyncSql.GROUP_ROW.key(), SyncSql.GROUP_ROW.sql()));
        NamedQuery members = new NamedQuery(legacy, get(props, GROUP_MEMBERS_KEY, GROUP_MEMBERS_SQL));

        // Where a message route starts when it has no checkpoint yet. One-to-one messages the history import
        // read are in TIM already, so by default the sync starts after them (as far as the import got when the
        // route first runs).
        String c2cStartAfter = get(props, "bridge.sync.c2c-messages.start-after-id", "");
        LongSupplier c2cStart = c2cStartAfter.isEmpty()
                ? () -> checkpoints.find("import-c2c-history", Checkpoints.WHOLE).map(c -> firstNumber(c.position())).orElse(0L)
                : () -> Long.parseLong(c2cStartAfter);
        long groupStart = Long.parseLong(get(props, "bridge.sync.group-messages.start-after-id", "0"));
        registry.bind("syncFailures", new SyncFailures());
        bind(context, props, new C2cMessagesToTim(converter, idMap), checkpoints, deadLetters, c2cStart);
        bind(context, props, new GroupMessagesToTim(converter, idMap, gate, deadLetters), checkpoints, deadLetters, () -> groupStart);
        GroupChangesToTim groupChanges = new GroupChangesToTim(groupRow, members, tim.batchSize(TimApi.CREATE_GROUP),
                idMap);
        bind(context, props, groupChanges, checkpoints, deadLetters, () -> 0);
        registry.bind("changeLogPurge", new ChangeLogPurge(checkpoints, groupChanges.routeId(),
                Long.parseLong(get(props, "bridge.sync.changelog.retention-ms", "86400000")), System::currentTimeMillis));
    }

    private void bind(CamelContext context, Properties props, SyncSource source, Checkpoints checkpoints,
            DeadLetters deadLetters, LongSupplier startAfter) {
        SyncPoller poller = new SyncPoller(source, checkpoints, deadLetters, startAfter,
                Integer.parseInt(get(props, "bridge.sync.batch-size", "500")),
                Long.parseLong(get(props, "bridge.sync.settle-ms", "5000")),
                Integer.parseInt(get(props, "bridge.sync.max-held-rows", "20000")),
                Long.parseLong(get(props, "bridge.sync.missing-target-grace-ms", "120000")),
                System::currentTimeMillis);
        context.getRegistry().bind(source.routeId(), poller);
        context.getRegistry().bind("syncLanes-" + source.routeId(), context.getExecutorServiceManager()
                .newFixedThreadPool(this, "syncLanes-" + source.routeId(),
                        Integer.parseInt(get(props, "bridge.sync.lanes", "16"))));
    }

    /** The queries each poller runs, by key; with its parameters a cycle gives them. */
    private static final List<String> POLL_QUERIES = List.of("legacy.sync.poll.c2c-messages.sql",
            "legacy.sync.poll.group-messages.sql", "legacy.sync.poll.changelog.sql");

    /**
     * Runs each poll query once, reading nothing (after the highest id), before the routes start: a missing
     * table (the change log not installed, a schema the queries were not adapted to) is then one refusal
     * naming the query, instead of the same SQL error on every poll.
     */
    private static void refuseWithoutItsTables(Properties props, DataSource legacy) {
        for (String key : POLL_QUERIES) {
            String sql = props.getProperty(key, "");
            if (sql.isBlank()) {
                continue;
            }
            try {
                new NamedQuery(legacy, sql).rows(Map.of("after_id", Long.MAX_VALUE, "batch_size", 1));
            } catch (RuntimeException e) {
                throw new StartRefused("the legacy query " + key + " fails: " + DatabaseErrors.describe(e)
                        + ". Install the change log and its triggers (db/legacy/<database>/changelog.sql) if it is"
                        + " missing, or adapt " + key + " to your schema.", e);
            }
        }
    }

    private static String get(Properties props, String key, String fallback) {
        String value = props.getProperty(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** The id in an import checkpoint such as {@code [1234]}; 0 when it holds none. */
    static long firstNumber(String position) {
        String digits = position.replaceAll("^\\[\\s*(-?\\d+).*$", "$1");
        return digits.matches("-?\\d+") ? Long.parseLong(digits) : 0L;
    }
}
