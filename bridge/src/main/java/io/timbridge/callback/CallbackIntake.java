package io.timbridge.callback;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbridge.sync.CallbackAuth;
import io.timbridge.sync.CallbackEvent;
import io.timbridge.sync.CallbackParser;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps of the callback endpoint: {@link #check} decides from the query string (authentication)
 * and the body (parsing) whether a request is accepted; {@link #refuse} answers a refused one, and
 * {@link #store} makes an accepted one durable in the inbox before TIM gets its OK. Only the raw query
 * string and the body are read: HTTP headers never reach the decision.
 *
 * <p>Thread-safe.
 */
public class CallbackIntake {
    /** Exchange property: the raw query string, taken before every header is removed. */
    public static final String QUERY = "callbackQuery";
    /** Exchange property: why the request was refused, absent when it was accepted. */
    public static final String REFUSAL = "callbackRefusal";
    private static final String STATUS = "callbackHttpStatus";
    private static final String EVENT = "callbackEvent";
    private static final String PLATFORM = "callbackOptPlatform";
    private static final String OK_ANSWER = "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}";
    private static final Logger LOG = LoggerFactory.getLogger(CallbackIntake.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CallbackAuth auth;
    private final CallbackParser parser;
    private final InboxWriter inbox;

    public CallbackIntake(CallbackAuth auth, CallbackParser parser, InboxWriter inbox) {
        this.auth = auth;
        this.parser = parser;
        this.inbox = inbox;
    }

    /** Sets {@value #REFUSAL} (and the HTTP status) for a refused request, or keeps the parsed event. */
    public void check(Exchange exchange) {
        Map<String, List<String>> query = parseQuery(exchange.getProperty(QUERY, String.class));
        CallbackAuth.Verdict verdict = auth.verify(query);
        if (!verdict.ok()) {
            refused(exchange, verdict.status() == CallbackAuth.Status.WRONG_APP ? 403 : 401, verdict.toString());
            return;
        }
        String command = first(query, "CallbackCommand");
        String platform = first(query, "OptPlatform");
        byte[] body = exchange.getMessage().getBody(byte[].class);
        CallbackParser.Result result = parser.parse(command, platform, body == null ? new byte[0] : body);
        if (result instanceof CallbackParser.Refused r) {
            refused(exchange, r.reason() == CallbackParser.Refusal.TOO_LARGE ? 413 : 400, r.toString());
            return;
        }
        CallbackEvent event = ((CallbackParser.Accepted) result).event();
        if (event.idempotencyKey().length() > CallbackInbox.MAX_KEY_LENGTH
                || event.orderingKey().length() > CallbackInbox.MAX_KEY_LENGTH) {
            refused(exchange, 400, "too-long-key: the event's keys exceed " + CallbackInbox.MAX_KEY_LENGTH + " characters");
            return;
        }
        exchange.setProperty(EVENT, event);
        exchange.setProperty(PLATFORM, platform);
        exchange.getMessage().setBody(new String(body, StandardCharsets.UTF_8));
    }

    /** The error answer of a refused request; nothing is stored. */
    public String refuse(Exchange exchange) {
        String reason = exchange.getProperty(REFUSAL, String.class);
        LOG.warn("Refused a TIM callback request: {}", reason);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, exchange.getProperty(STATUS, Integer.class));
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        ObjectNode answer = JSON.createObjectNode().put("ActionStatus", "FAIL").put("ErrorInfo", reason).put("ErrorCode", 1);
        return answer.toString();
    }

    /** Stores the accepted callback (a replay stores nothing) and gives TIM's OK answer. */
    public String store(Exchange exchange) {
        CallbackEvent event = exchange.getProperty(EVENT, CallbackEvent.class);
        if (!inbox.store(event, exchange.getProperty(PLATFORM, String.class), exchange.getMessage().getBody(String.class))) {
            LOG.debug("Callback {} is stored already", event.idempotencyKey());
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        return OK_ANSWER;
    }

    private static void refused(Exchange exchange, int status, String reason) {
        exchange.setProperty(REFUSAL, reason);
        exchange.setProperty(STATUS, status);
    }

    /** The decoded query parameters; a repeated name keeps every value, so the check can refuse it. */
    static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text;
        }
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
