package io.timbridge.config;

import io.timbridge.convert.AccountRequests;
import io.timbridge.convert.C2cHistoryRequests;
import io.timbridge.convert.FriendRequests;
import io.timbridge.convert.GroupHistoryRequests;
import io.timbridge.convert.GroupMemberRequests;
import io.timbridge.convert.GroupRequests;
import io.timbridge.convert.MessageConverter;
import io.timbridge.convert.ProfileRequests;
import io.timbridge.convert.UnreadRequests;
import io.timbridge.importing.DataType;
import io.timbridge.importing.GroupHistoryResume;
import io.timbridge.importing.ImportPages;
import io.timbridge.importing.ImportProgress;
import io.timbridge.importing.ImportResults;
import io.timbridge.importing.Keyset;
import io.timbridge.state.Checkpoints;
import io.timbridge.state.DeadLetters;
import io.timbridge.state.IdMap;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimClient;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;

/** Beans of the import routes: request builders per data type, paging, results and the lane pool. */
public class ImportConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Properties props = Settings.resolved(context, "legacy.import.", "bridge.import.");
        Registry registry = context.getRegistry();
        TimClient tim = registry.lookupByNameAndType("timClient", TimClient.class);
        MessageConverter converter = new MessageConverter();
        long retentionDays = Long.parseLong(props.getProperty("bridge.import.history-retention-days", "0").trim());
        long cutoff = retentionDays <= 0 ? 0 : System.currentTimeMillis() - Duration.ofDays(retentionDays).toMillis();

        registry.bind("accountRequests", new AccountRequests(tim.batchSize(TimApi.MULTIACCOUNT_IMPORT)));
        registry.bind("profileRequests", new ProfileRequests(
                ProfileRequests.parseCustomTags(props.getProperty("bridge.import.profiles.custom-tags", ""))));
        registry.bind("friendRequests", new FriendRequests(tim.batchSize(TimApi.FRIEND_IMPORT)));
        registry.bind("c2cHistoryRequests", new C2cHistoryRequests(converter, cutoff));
        registry.bind("groupRequests", new GroupRequests());
        registry.bind("groupMemberRequests", new GroupMemberRequests(tim.batchSize(TimApi.IMPORT_GROUP_MEMBER)));
        registry.bind("groupHistoryRequests",
                new GroupHistoryRequests(converter, tim.batchSize(TimApi.IMPORT_GROUP_MSG), cutoff));
        registry.bind("unreadRequests", new UnreadRequests());

        Map<DataType, Keyset> keysets = new EnumMap<>(DataType.class);
        for (DataType type : DataType.values()) {
            String key = props.getProperty("legacy.import." + type.key() + ".key");
            if (key != null && !key.isBlank()) {
                keysets.put(type, Keyset.parse(key, props.getProperty("legacy.import." + type.key() + ".start", "")));
            }
        }
        // One pool per route: a lane waiting for its API's rate-limit permit must not hold a thread that
        // another API's lanes could use.
        int lanes = Integer.parseInt(props.getProperty("bridge.import.lanes", "16").trim());
        for (DataType type : DataType.values()) {
            ExecutorService pool = context.getExecutorServiceManager().newFixedThreadPool(this,
                    "importLanes-" + type.key(), lanes);
            registry.bind("importLanes-" + type.key(), pool);
        }
        ImportProgress progress = new ImportProgress();
        registry.bind("importProgress", progress);
        registry.bind("importPages", new ImportPages(registry.lookupByNameAndType("checkpoints", Checkpoints.class),
                progress, keysets, Integer.parseInt(props.getProperty("bridge.import.page-size", "2000").trim())));
        GroupHistoryResume groupHistoryResume = new GroupHistoryResume(tim, progress,
                context.getExecutorServiceManager().newFixedThreadPool(this, "groupHistoryResume", lanes));
        registry.bind("groupHistoryResume", groupHistoryResume);
        registry.bind("importResults", new ImportResults(registry.lookupByNameAndType("deadLetters", DeadLetters.class),
                registry.lookupByNameAndType("idMap", IdMap.class), progress, groupHistoryResume));
    }

}
