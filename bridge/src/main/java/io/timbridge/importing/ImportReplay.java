package io.timbridge.importing;

import io.timbridge.convert.Refusal;
import io.timbridge.convert.RequestBuilder;
import io.timbridge.convert.Requests;
import io.timbridge.convert.TimCall;
import io.timbridge.state.DeadLetters;
import io.timbridge.state.DeadLetters.DeadLetter;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimClient;
import io.timbridge.tim.TimErrors;
import io.timbridge.tim.TimException;
import io.timbridge.tim.TimItemFailure;
import io.timbridge.tim.TimResponse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays one data type's import dead letters from the legacy rows as they are now: each row is read again
 * from the page it came from, with the current {@code legacy.import.<type>.sql}, and rebuilt with the current
 * request builder, so a fix in the data, the SQL or the mapping goes through. Rows of a group still refused
 * stay held with the group's reason; group messages TIM holds already are not sent twice; a row the query no
 * longer reads near its page is closed as skipped. The calls go through the same TIM client and limits as the
 * import, one lane per user or group as the builder groups them.
 */
public final class ImportReplay {
    /** Pages read after a dead letter's own before it counts as gone: rows inserted since may push it on. */
    static final int PAGES_TO_LOOK = 5;

    /** Reads one keyset page of a data type's import query. */
    @FunctionalInterface
    public interface PageReader {
        List<Map<String, Object>> read(DataType type, Map<String, Object> parameters);
    }

    /** What a replay did: items that reached TIM, items still refused (open), items closed as gone. */
    public record Outcome(long wentThrough, long stillOpen, long skipped) {
        public Outcome plus(Outcome o) {
            return new Outcome(wentThrough + o.wentThrough, stillOpen + o.stillOpen, skipped + o.skipped);
        }
    }

    private final TimClient tim;
    private final DeadLetters deadLetters;
    private final ImportPages pages;
    private final PageReader reader;
    private final GroupHistoryResume groupHistory;
    private final ImportResults results;
    private final int lanes;
    private final AtomicLong settled = new AtomicLong();

    public ImportReplay(TimClient tim, DeadLetters deadLetters, ImportPages pages, PageReader reader,
                        GroupHistoryResume groupHistory, ImportResults results, int lanes) {
        this.tim = tim;
        this.deadLetters = deadLetters;
        this.pages = pages;
        this.reader = reader;
        this.groupHistory = groupHistory;
        this.results = results;
        this.lanes = Math.max(1, lanes);
    }

    /** Items settled so far (sent, refused again or skipped), for progress lines. */
    public long settled() {
        return settled.get();
    }

    /** Replays the type's open dead letters that know their page; the others are the caller's. */
    public Outcome replay(DataType type, RequestBuilder builder, List<DeadLetter> open) throws Exception {
        Map<String, Set<String>> keysByPage = new LinkedHashMap<>();
        for (DeadLetter d : open) {
            if (d.legacyPage() != null) {
                keysByPage.computeIfAbsent(d.legacyPage(), p -> new LinkedHashSet<>()).add(d.itemKey());
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        long skipped = 0;
        for (Map.Entry<String, Set<String>> page : keysByPage.entrySet()) {
            Set<String> missing = new LinkedHashSet<>(page.getValue());
            rows.addAll(reread(type, builder, page.getKey(), missing));
            for (String key : missing) {
                deadLetters.skip(type.routeId(), key, "not replayed: legacy.import." + type.key() + ".sql no longer"
                        + " reads this row where it was (deleted in legacy, or left out by the query now)");
                skipped++;
                settled.incrementAndGet();
            }
        }
        if (rows.isEmpty()) {
            return new Outcome(0, 0, skipped);
        }
        Set<String> replayed = new HashSet<>();
        keysByPage.values().forEach(replayed::addAll);
        Requests requests = RefusedParents.hold(type, builder.build(rows),
                deadLetters.openKeys(DataType.GROUPS.routeId())::contains);
        long stillOpen = 0;
        for (Refusal r : requests.refusals()) {
            if (replayed.contains(r.itemKey())) {
                deadLetters.record(type.routeId(), r.itemKey(), null, null, r.rule() + ": " + r.reason(),
                        ImportResults.json(r.row()));
                stillOpen++;
                settled.incrementAndGet();
            }
        }
        Requests toSend = type == DataType.GROUP_HISTORY ? groupHistory.skipImported(requests) : requests;
        long alreadyInTim = requests.itemCount() - toSend.itemCount();
        if (alreadyInTim > 0) {
            Set<String> sending = new HashSet<>();
            toSend.calls().forEach(c -> sending.addAll(c.itemKeys()));
            List<String> present = requests.calls().stream().flatMap(c -> c.itemKeys().stream())
                    .filter(k -> !sending.contains(k)).toList();
            deadLetters.resolveAll(type.routeId(), present);
            settled.addAndGet(present.size());
        }
        long[] sent = send(type, toSend);
        return new Outcome(sent[0] + alreadyInTim, stillOpen + sent[1], skipped);
    }

    /**
     * The rows of {@code wanted} read again from the page that started after {@code position}, and the pages after
     * it; what is found is removed from {@code wanted}. Rows that share a key position (a profile and its custom
     * fields) are kept together.
     */
    private List<Map<String, Object>> reread(DataType type, RequestBuilder builder, String position,
                                             Set<String> wanted) {
        Keyset keyset = pages.keyset(type);
        List<Map<String, Object>> found = new ArrayList<>();
        String after = position;
        for (int page = 0; page < PAGES_TO_LOOK && !wanted.isEmpty(); page++) {
            List<Map<String, Object>> rows = reader.read(type, keyset.parameters(after, pages.pageSize()));
            Map<String, List<Map<String, Object>>> byPosition = new LinkedHashMap<>();
            for (Map<String, Object> row : rows) {
                byPosition.computeIfAbsent(keyset.positionOf(row), p -> new ArrayList<>()).add(row);
            }
            for (List<Map<String, Object>> item : byPosition.values()) {
                Requests alone = builder.build(item);
                Set<String> keys = new HashSet<>();
                alone.calls().forEach(c -> keys.addAll(c.itemKeys()));
                alone.refusals().forEach(r -> keys.add(r.itemKey()));
                boolean match = false;
                for (String key : keys) {
                    match |= wanted.remove(key);
                }
                if (match) {
                    found.addAll(item);
                }
            }
            if (rows.size() < pages.pageSize()) {
                break;
            }
            after = keyset.positionOf(rows.get(rows.size() - 1));
        }
        return found;
    }

    /** Sends the calls, lanes in parallel and each lane in order; returns {went through, failed}. */
    private long[] send(DataType type, Requests requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(lanes, Math.max(1, requests.lanes().size())));
        try {
            List<Future<long[]>> done = new ArrayList<>();
            for (List<TimCall> lane : requests.lanes()) {
                done.add(pool.submit(() -> {
                    long[] counts = new long[2];
                    for (TimCall call : lane) {
                        long failed = sendOne(type, call);
                        counts[0] += call.itemKeys().size() - failed;
                        counts[1] += failed;
                        settled.addAndGet(call.itemKeys().size());
                    }
                    return counts;
                }));
            }
            long[] total = new long[2];
            for (Future<long[]> f : done) {
                long[] c = get(f);
                total[0] += c[0];
                total[1] += c[1];
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One call; its items that failed are stored again with TIM's code, the rest resolved. Returns the failed. */
    private long sendOne(DataType type, TimCall call) {
        try {
            TimResponse answer = tim.call(call.api(), call.request());
            Set<String> failed = new LinkedHashSet<>();
            for (TimItemFailure f : answer.failedItems()) {
                String key = ImportResults.itemKeyOf(call, f);
                failed.add(key);
                deadLetters.record(type.routeId(), key, call.api().path(), f.code(),
                        TimErrors.hint(f.code()) + " (" + f.info() + ")",
                        ImportResults.json(ImportResults.requestFor(call, key)));
            }
            if (call.api() == TimApi.IMPORT_GROUP_MSG) {
                results.mapGroupMessages(call, ImportResults.JSON.convertValue(answer.body(), Map.class));
            }
            deadLetters.resolveAll(type.routeId(), call.itemKeys().stream().filter(k -> !failed.contains(k)).toList());
            return failed.size();
        } catch (TimException e) {
            if (e.isFatal()) {
                throw e;
            }
            if (e.errorCode() == ImportResults.ALREADY_IN_TIM) {
                deadLetters.resolveAll(type.routeId(), call.itemKeys());
                return 0;
            }
            for (String key : call.itemKeys()) {
                deadLetters.record(type.routeId(), key, call.api().path(), e.errorCode(), e.getMessage(),
                        ImportResults.json(ImportResults.requestFor(call, key)));
            }
            return call.itemKeys().size();
        }
    }

    private static long[] get(Future<long[]> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : new IllegalStateException(e.getCause());
        }
    }
}
