package io.timbridge.verify;

import io.timbridge.convert.RequestBuilder;
import io.timbridge.convert.Requests;
import io.timbridge.importing.DataType;
import io.timbridge.importing.Keyset;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

import java.util.List;
import java.util.Map;

/**
 * The legacy side of verify: pages through {@code legacy.import.<type>.sql} with the import's keyset
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

    public void forEach(DataType type, PageHandler handler) {
        RequestBuilder builder = context.getRegistry().lookupByNameAndType(type.builder(), RequestBuilder.class);
        String sql = context.resolvePropertyPlaceholders("{{legacy.import." + type.key() + ".sql}}");
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
