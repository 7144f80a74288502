package io.timbridge.tim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Calls TIM's REST API: {@code POST {tim.base-url}/v4/<service>/<command>?sdkappid=&identifier=&usersig=&random=&contenttype=json}
 * with a JSON body, signed with the cached admin UserSig.
 * <ul>
 *   <li>Every API has one {@link TimRateLimiter}, shared by all callers of this client, so make one
 *       client per process (the {@code tim:} component finds it in the Camel registry).</li>
 *   <li>Frequency-limit answers are not failures: every caller of that API pauses with exponential
 *       back-off and jitter, then the call is resent, up to {@code tim.rate-limit.max-total-wait-ms}.</li>
 *   <li>70001 (UserSig expired): a new sig is made and the call resent once.</li>
 *   <li>Any other error answer, HTTP status ≠ 200, connection failure or timeout throws {@link TimException}
 *       with its {@link TimErrorClass}; retrying those is the route's error policy, which knows whether the
 *       call is safe to repeat.</li>
 *   <li>OK answers come back as {@link TimResponse} with the batch items TIM did not apply.</li>
 * </ul>
 * Transport: the JDK's {@link HttpClient} over HTTP/1.1, which keeps idle connections alive and reuses
 * them (a pool per host); it needs no extra dependency, and Apache HttpClient is not on the classpath.
 */
public final class TimClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TimClientConfig config;
    private final TimUserSigProvider sigs;
    private final HttpClient http;
    private final Map<TimApi, TimRateLimiter> limiters = new EnumMap<>(TimApi.class);
    private final TimStats stats = new TimStats();

    public TimClient(TimClientConfig config) {
        this(config, TimUserSigProvider.of(config));
    }

    public TimClient(TimClientConfig config, TimUserSigProvider sigs) {
        this.config = config;
        this.sigs = sigs;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(config.connectTimeoutMillis()))
                .build();
        long window = 1000 + config.windowGuardMillis();
        for (TimApi api : TimApi.values()) {
            limiters.put(api, new TimRateLimiter(config.limits().qps(api), window));
        }
    }

    public TimClientConfig config() {
        return config;
    }

    /** Items per call for {@code api}: TIM's strictest documented maximum unless configured lower or higher. */
    public int batchSize(TimApi api) {
        return config.limits().batchSize(api);
    }

    public TimRateLimiter limiter(TimApi api) {
        return limiters.get(api);
    }

    /** Items per second {@code api} allows at most: calls per second times items per call; unlimited as MAX_VALUE. */
    public double itemsPerSecond(TimApi api) {
        int qps = config.limits().qps(api);
        return qps <= 0 ? Double.MAX_VALUE : (double) qps * batchSize(api);
    }

    public TimStats stats() {
        return stats;
    }

    /**
     * Calls {@code api} with {@code body}: a {@link JsonNode}, a JSON string, a {@code Map} or any object
     * Jackson can serialise; null or blank is sent as {@code {}}.
     *
     * @throws TimException when TIM answers with an error, or gives no usable answer
     */
    public TimResponse call(TimApi api, Object body) {
        JsonNode request = toJson(body);
        byte[] payload = bytes(request);
        TimRateLimiter limiter = limiters.get(api);
        boolean sigRenewed = false;
        int rateLimitedAnswers = 0;
        long waitedMillis = 0;
        while (true) {
            String sig = sigs.get();
            JsonNode answer;
            try (TimRateLimiter.Permit permit = limiter.acquire()) {
                answer = exchange(api, sig, payload, permit);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw TimException.transport(api.path(), "interrupted while waiting for the rate limiter", e);
            }
            int code = answer.path("ErrorCode").asInt(0);
            if (TimErrors.rejectsSignature(code) || TimErrors.classify(code) == TimErrorClass.STOP_THE_RUN) {
                stats.signatureRejected(api.path(), code, answer.path("ErrorInfo").asText(""), System.currentTimeMillis());
            } else if (!TimErrors.isRateLimited(code)) {
                // Any other answer came from past TIM's signature check; a frequency-limit answer (70050 among
                // them: locked out after signature failures) proves nothing about the sig.
                stats.signatureAccepted(System.currentTimeMillis());
            }
            if (code == 0 && !"FAIL".equals(answer.path("ActionStatus").asText())) {
                List<TimItemFailure> failed = TimItemFailures.extract(request, answer);
                stats.failedItems(api.path(), failed.size());
                return new TimResponse(api, answer, failed);
            }
            stats.error(api.path(), code);
            if (TimErrors.rejectsSignature(code)) {
                sigs.renew(sig);
            }
            if (TimErrors.classify(code) == TimErrorClass.RENEW_SIG_AND_RETRY && !sigRenewed) {
                sigRenewed = true;
                continue;
            }
            if (TimErrors.isRateLimited(code)) {
                long delay = backoffMillis(code, rateLimitedAnswers++);
                if (waitedMillis + delay <= config.maxTotalWaitMillis()) {
                    waitedMillis += delay;
                    limiter.holdFor(delay);
                    continue;
                }
            }
            // An expired sig that a freshly signed one did not cure is a clock or key problem, not the item's.
            TimErrorClass kind = sigRenewed && code == 70001 ? TimErrorClass.STOP_THE_RUN : TimErrors.classify(code);
            throw new TimException(api.path(), code, answer.path("ErrorInfo").asText(""), null, kind, null);
        }
    }

    /** Exponential back-off from the configured start (a minute for 70050), plus up to half again as jitter. */
    private long backoffMillis(int code, int previousAnswers) {
        long base = code == 70050
                ? Math.max(config.lockoutBackoffMillis(), config.backoffInitialMillis())
                : Math.min(config.backoffMaxMillis(), config.backoffInitialMillis() << Math.min(previousAnswers, 20));
        return base + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    /**
     * One HTTP exchange. The permit ends when the answer's status line and headers arrive: TIM has the request
     * by then, and reading the body, handing it to this thread and parsing it are no part of TIM's window.
     */
    private JsonNode exchange(TimApi api, String sig, byte[] payload, TimRateLimiter.Permit permit) {
        HttpRequest request = HttpRequest.newBuilder(uri(api, sig))
                .timeout(Duration.ofMillis(config.requestTimeoutMillis()))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .build();
        long start = System.nanoTime();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, info -> {
                permit.close();
                return HttpResponse.BodySubscribers.ofByteArray();
            });
        } catch (HttpTimeoutException e) {
            throw transportFailure(api, start, "no answer within " + config.requestTimeoutMillis() + " ms", e);
        } catch (IOException e) {
            throw transportFailure(api, start, "connection failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw transportFailure(api, start, "interrupted while waiting for the answer", e);
        }
        stats.exchange(api.path(), System.nanoTime() - start);
        if (response.statusCode() != 200) {
            stats.error(api.path(), TimErrors.TRANSPORT_ERROR);
            throw TimException.transport(api.path(), "HTTP " + response.statusCode(), null);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.isObject()) {
            stats.error(api.path(), TimErrors.TRANSPORT_ERROR);
            throw TimException.transport(api.path(), "HTTP 200 without a JSON envelope", null);
        }
        return answer;
    }

    private TimException transportFailure(TimApi api, long start, String what, Throwable cause) {
        stats.exchange(api.path(), System.nanoTime() - start);
        stats.error(api.path(), TimErrors.TRANSPORT_ERROR);
        return TimException.transport(api.path(), what, cause);
    }

    private URI uri(TimApi api, String sig) {
        long random = ThreadLocalRandom.current().nextLong(1L << 32);
        return URI.create(config.baseUrl() + "/v4/" + api.path()
                + "?sdkappid=" + config.sdkAppId()
                + "&identifier=" + URLEncoder.encode(sigs.identifier(), StandardCharsets.UTF_8)
                + "&usersig=" + URLEncoder.encode(sig, StandardCharsets.UTF_8)
                + "&random=" + random
                + "&contenttype=json");
    }

    private static JsonNode toJson(Object body) {
        JsonNode node;
        try {
            if (body == null) {
                node = JSON.createObjectNode();
            } else if (body instanceof JsonNode json) {
                node = json;
            } else if (body instanceof CharSequence text) {
                node = text.toString().isBlank() ? JSON.createObjectNode() : JSON.readTree(text.toString());
            } else if (body instanceof byte[] raw) {
                node = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
            } else {
                node = JSON.valueToTree(body);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("TIM request body is not JSON: " + e.getMessage(), e);
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return JSON.createObjectNode();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("TIM request body must be a JSON object, was " + node.getNodeType());
        }
        return node;
    }

    private static byte[] bytes(JsonNode request) {
        try {
            return JSON.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("TIM request body cannot be written as JSON", e);
        }
    }
}
