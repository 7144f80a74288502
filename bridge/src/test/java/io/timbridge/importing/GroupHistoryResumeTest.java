package io.timbridge.importing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timbridge.convert.Requests;
import io.timbridge.convert.TimCall;
import io.timbridge.sandbox.FaultSpec;
import io.timbridge.sandbox.TimSandbox;
import io.timbridge.testsupport.TestSandboxes;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimClient;
import io.timbridge.tim.TimClientConfig;
import io.timbridge.tim.TimException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupHistoryResumeTest {
    private final ExecutorService lookups = Executors.newFixedThreadPool(2);
    private TimSandbox sandbox;

    @AfterEach
    void stop() {
        lookups.shutdownNow();
        if (sandbox != null) {
            sandbox.stop();
        }
    }

    /** A lookup TIM failed is redelivered by the route: the redelivery asks again instead of using nothing. */
    @Test
    void aRedeliveryAfterAFailedLookupAsksTimAgain() {
        sandbox = TestSandboxes.standalone("1400000000", "administrator", "resume-key", Map.of());
        Properties p = new Properties();
        p.setProperty("tim.sdk-app-id", "1400000000");
        p.setProperty("tim.admin-identifier", "administrator");
        p.setProperty("tim.secret-key", "resume-key");
        p.setProperty("tim.base-url", "http://127.0.0.1:" + sandbox.port());
        GroupHistoryResume resume = new GroupHistoryResume(new TimClient(TimClientConfig.from(p)), new ImportProgress(),
                lookups);
        TimCall call = new TimCall(TimApi.IMPORT_GROUP_MSG, Map.of("GroupId", "g1",
                "MsgList", List.of(Map.of("SendTime", 1_700_000_000L, "Random", 7L))), List.of("41"));
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(ImportPages.TYPE, DataType.GROUP_HISTORY.key());
        exchange.getMessage().setBody(new Requests(List.of(List.of(call)), List.of()));

        sandbox.faults().set("group_msg_get_simple", FaultSpec.error(10002, 1));
        assertThatThrownBy(() -> resume.skipImported(exchange)).isInstanceOf(TimException.class);
        sandbox.faults().clearAll();
        resume.skipImported(exchange);

        Requests kept = exchange.getMessage().getBody(Requests.class);
        assertThat(kept.lanes()).singleElement().satisfies(lane -> assertThat(lane).containsExactly(call));
    }
}
