package io.timbridge.importing;

import io.timbridge.state.Checkpoints;
import org.apache.camel.Exchange;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a legacy query page by page for an import route and checkpoints after each page, once every
 * item of it was applied in TIM or stored as a dead letter: a restart resumes after the last such page.
 * The route's data type comes from its {@code importType} exchange property.
 * <p>
 * Exchange properties it keeps: {@code importPosition} (where the next page starts), {@code importMore}
 * (another page may follow), {@code importNextPosition} and {@code importPageRows} (of the page just read).
 */
public class ImportPages {
    /** Set by each import route to its data type (docs/import-mapping.md), e.g. {@code c2c-history}. */
    public static final String TYPE = "importType";
    public static final String POSITION = "importPosition";
    public static final String MORE = "importMore";
    static final String NEXT_POSITION = "importNextPosition";
    static final String PAGE_ROWS = "importPageRows";
    /** Items of the page just read: rows, except where several rows make one item (a profile's custom fields). */
    static final String PAGE_ITEMS = "importPageItems";

    private final Checkpoints checkpoints;
    private final ImportProgress progress;
    private final Map<DataType, Keyset> keysets;
    private final int pageSize;
    private volatile Set<DataType> selected = Set.of(DataType.values());

    public ImportPages(Checkpoints checkpoints, ImportProgress progress, Map<DataType, Keyset> keysets, int pageSize) {
        this.checkpoints = checkpoints;
        this.progress = progress;
        this.keysets = keysets;
        this.pageSize = pageSize;
    }

    /** Only these data types run; the others' routes read nothing. */
    public void select(Set<DataType> types) {
        this.selected = Set.copyOf(types);
    }

    public void begin(Exchange exchange) {
        DataType type = typeOf(exchange);
        boolean run = selected.contains(type);
        String position = checkpoints.position(type.routeId(), Checkpoints.WHOLE, keyset(type).startPosition());
        exchange.setProperty(POSITION, position);
        exchange.setProperty(MORE, run);
        if (run) {
            progress.started(type, checkpoints.doneCount(type.routeId()));
        }
    }

    /** Sets the body to the named parameters of the next page's query. */
    public void query(Exchange exchange) {
        progress.checkNotStopped();
        DataType type = typeOf(exchange);
        exchange.getMessage().setBody(keyset(type).parameters(exchange.getProperty(POSITION, String.class), pageSize));
    }

    /** Notes where the page just read ends; the body (the rows) is left as it is. */
    public void read(Exchange exchange) {
        List<?> rows = exchange.getMessage().getBody(List.class);
        int n = rows == null ? 0 : rows.size();
        exchange.setProperty(PAGE_ROWS, n);
        exchange.setProperty(PAGE_ITEMS, 0);
        if (n > 0) {
            Keyset keyset = keyset(typeOf(exchange));
            Set<String> items = new java.util.HashSet<>();
            String last = null;
            for (Object row : rows) {
                @SuppressWarnings("unchecked")
                Map<String, Object> r = (Map<String, Object>) row;
                last = keyset.positionOf(r);
                items.add(last);
            }
            exchange.setProperty(PAGE_ITEMS, items.size());
            exchange.setProperty(NEXT_POSITION, last);
        }
    }

    /** Checkpoints the page just finished and decides whether another one follows. */
    public void advance(Exchange exchange) {
        DataType type = typeOf(exchange);
        int n = exchange.getProperty(PAGE_ROWS, 0, Integer.class);
        String position = exchange.getProperty(POSITION, String.class);
        if (n > 0) {
            position = exchange.getProperty(NEXT_POSITION, String.class);
            exchange.setProperty(POSITION, position);
        }
        boolean more = n >= pageSize;
        checkpoints.advance(type.routeId(), Checkpoints.WHOLE, position, exchange.getProperty(PAGE_ITEMS, 0,
                Integer.class));
        if (!more) {
            checkpoints.finish(type.routeId(), Checkpoints.WHOLE, position);
            progress.finished(type);
        }
        exchange.setProperty(MORE, more);
    }

    public int pageSize() {
        return pageSize;
    }

    public Keyset keyset(DataType type) {
        Keyset keyset = keysets.get(type);
        if (keyset == null) {
            throw new IllegalStateException("no keyset configured for " + type.key()
                    + ": set legacy.import." + type.key() + ".key and .start");
        }
        return keyset;
    }

    /** The data type of the import route at hand, from its {@value #TYPE} property. */
    static DataType typeOf(Exchange exchange) {
        String key = exchange.getProperty(TYPE, String.class);
        return DataType.byKey(String.valueOf(key)).orElseThrow(() -> new IllegalStateException(
                "exchange property " + TYPE + " must name an import data type, was " + key));
    }
}
