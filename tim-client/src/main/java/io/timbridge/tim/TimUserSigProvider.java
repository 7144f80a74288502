package io.timbridge.tim;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The admin UserSig for REST calls: generated with Tencent's library ({@link UserSig#generate}),
 * reused while young, and replaced once half of its validity has passed, so a sig in flight is
 * never close to expiry. {@link #renew} replaces it at once when TIM rejects it.
 */
public final class TimUserSigProvider {
    private final String identifier;
    private final long expireSeconds;
    private final Supplier<String> generator;
    private final LongSupplier epochSeconds;
    private String current;
    private long renewAt;

    public TimUserSigProvider(long sdkAppId, String secretKey, String identifier, long expireSeconds) {
        this(identifier, expireSeconds, () -> UserSig.generate(sdkAppId, secretKey, identifier, expireSeconds),
                () -> System.currentTimeMillis() / 1000);
    }

    TimUserSigProvider(String identifier, long expireSeconds, Supplier<String> generator, LongSupplier epochSeconds) {
        this.identifier = identifier;
        this.expireSeconds = expireSeconds;
        this.generator = generator;
        this.epochSeconds = epochSeconds;
    }

    public static TimUserSigProvider of(TimClientConfig config) {
        return new TimUserSigProvider(config.sdkAppId(), config.secretKey(), config.adminIdentifier(),
                config.userSigExpireSeconds());
    }

    public String identifier() {
        return identifier;
    }

    /** The sig to use now. */
    public synchronized String get() {
        long now = epochSeconds.getAsLong();
        if (current == null || now >= renewAt) {
            current = generator.get();
            renewAt = now + expireSeconds / 2;
        }
        return current;
    }

    /**
     * Drops {@code rejected} so the next {@link #get} signs afresh. A sig another thread has already
     * replaced is left alone, so many calls failing together renew only once.
     */
    public synchronized void renew(String rejected) {
        // identity, not equality: a sig made again within the same second has the same text
        if (rejected == current) {
            current = null;
        }
    }
}
