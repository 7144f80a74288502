package io.timbridge.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;

/**
 * A seeded random sample of at most {@code size} distinct keys out of a stream of unknown length in which a
 * key may recur (one-to-one messages name their conversation again and again): the keys with the smallest
 * seeded hash ("bottom-k"). Memory holds the sample only; the same seed gives the same sample.
 */
public final class Sample {
    private final int size;
    private final long seed;
    private final TreeMap<Long, String> smallest = new TreeMap<>();

    public Sample(int size, long seed) {
        if (size <= 0) {
            throw new IllegalArgumentException("--sample must be a positive number of keys, was " + size);
        }
        this.size = size;
        this.seed = seed;
    }

    public void offer(String key) {
        long h = hash(key);
        if (smallest.size() < size) {
            smallest.putIfAbsent(h, key);
        } else if (h < smallest.lastKey() && !smallest.containsKey(h)) {
            smallest.put(h, key);
            smallest.pollLastEntry();
        }
    }

    public Set<String> keys() {
        return new HashSet<>(smallest.values());
    }

    private long hash(String key) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Long.toString(seed).getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            byte[] d = md.digest(key.getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (d[i] & 0xFF);
            }
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
