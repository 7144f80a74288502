package io.timbridge.verify;

import io.timbridge.convert.RequestBuilder;
import io.timbridge.convert.Requests;
import io.timbridge.importing.DataType;
import io.timbridge.importing.Keyset;
import io.timbridge.legacy.DatabaseErrors;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

import java.util.List;
import java.util.Map;

/**
 * The legacy side of verify: pages through {@code legacy.verify.<type>.sql} (where set; else the import's
 * {@code legacy.import.<type>.sql}) with the import's keyset
 * (never OFFSET, never the import's checkpoint) and turns each page into the TIM calls and refusals of the
 * import's own request builder, so the expected TIM values come from the same mapping. One page is in
 * memory at a time.
 */
public final class LegacyPages {

    /** What one page of legacy rows becomes. */
    @FunctionalInterface
    public interface PageHandler {
        void page(List<Map<String, Object>> rows, Requests requests);
    }

    private final CamelContext context;
    private final Map<DataType, Keyset> keysets;
    private final int pageSize;

    public LegacyPages(CamelContext context, Map<DataType, Keyset> keysets, int pageSize) {
        this.context = context;
        this.keysets = keysets;
        this.pageSize = pageSize;
    }

    /**
     * Verify's own SQL for the type where set ({@code legacy.verify.<type>.sql}: the message history without the
     * import's {@code bridge_origin IS NULL} filter, since after sync the messages that came from TIM are on both
     * sides), else the import's.
     */
    static String sql(CamelContext context, DataType type) {
        return context.getPropertiesComponent().resolveProperty("legacy.verify." + type.key() + ".sql")
                .map(context::resolvePropertyPlaceholders)
                .orElseGet(() -> context.resolvePropertyPlaceholders("{{legacy.import." + type.key() + ".sql}}"));
    }

    /**
     * Runs the type's query once for its first row, before anything is compared: a query that cannot run (a
     * table of the reference schema the operator's database lacks) is refused naming the property to adapt.
     *
     * @throws IllegalStateException naming the property, the database's error and what to do
     */
    public void check(DataType type) {
        Keyset keyset = keysets.get(type);
        if (keyset == null) {
            return;
        }
        boolean own = context.getPropertiesComponent().resolveProperty("legacy.verify." + type.key() + ".sql").isPresent();
        String key = (own ? "legacy.verify." : "legacy.import.") + type.key() + ".sql";
        try (ProducerTemplate template = context.createProducerTemplate()) {
            template.requestBody("sql:" + sql(context, type) + "?dataSource=#legacyDataSource",
                    keyset.parameters(keyset.startPosition(), 1), List.class);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("verify's legacy query " + key + " fails: " + DatabaseErrors.describe(e) + "."
                    + (own ? " If you adapted legacy.import." + type.key() + ".sql to your schema, adapt " + key
                    + " the same way (same columns, parameters and key)." : " Adapt it to your schema."), e);
        }
    }

    public void forEach(DataType type, PageHandler handler) {
        RequestBuilder builder = context.getRegistry().lookupByNameAndType(type.builder(), RequestBuilder.class);
        String sql = sql(context, type);
        String uri = "sql:" + sql + "?dataSource=#legacyDataSource";
        Keyset keyset = keysets.get(type);
        if (keyset == null) {
            throw new IllegalArgumentException("legacy.import." + type.key() + ".key is not set: verify pages the"
                    + " legacy rows with the import's key columns");
        }
        try (ProducerTemplate template = context.createProducerTemplate()) {
            String position = keyset.startPosition();
            while (true) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> page = template.requestBody(uri, keyset.parameters(position, pageSize),
                        List.class);
                if (page.isEmpty()) {
                    return;
                }
                handler.page(page, builder.build(page));
                position = keyset.positionOf(page.get(page.size() - 1));
                if (page.size() < pageSize) {
                    return;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
