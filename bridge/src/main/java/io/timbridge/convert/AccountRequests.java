package io.timbridge.convert;

import io.timbridge.tim.TimApi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * accounts → {@code multiaccount_import}: {@code {"AccountList":[{"UserID","Nick"?,"FaceUrl"?}]}}, at most
 * {@code batchSize} accounts per call. Accounts do not depend on each other, so each call has its own lane.
 * Item key: {@code user_id}.
 */
public final class AccountRequests implements RequestBuilder {

    static final String TYPE = "accounts";

    private final int batchSize;

    public AccountRequests(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException(TYPE + ": batch size must be at least 1, was " + batchSize);
        }
        this.batchSize = batchSize;
    }

    @Override
    public Requests build(List<Map<String, Object>> rows) {
        Lanes lanes = new Lanes();
        List<Object> accounts = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            String userId = LegacyRow.text(row, "user_id", TYPE);
            Optional<Refusal> refusal = Checks.userId(String.valueOf(userId), "UserID", userId, row);
            if (refusal.isPresent()) {
                lanes.refuse(refusal.get());
                continue;
            }
            Map<String, Object> account = new LinkedHashMap<>();
            account.put("UserID", userId);
            Json.putIfNotNull(account, "Nick", LegacyRow.optionalText(row, "nickname", TYPE));
            Json.putIfNotNull(account, "FaceUrl", LegacyRow.optionalText(row, "avatar_url", TYPE));
            accounts.add(account);
            keys.add(userId);
            if (accounts.size() == batchSize) {
                flush(lanes, accounts, keys);
            }
        }
        flush(lanes, accounts, keys);
        return lanes.requests();
    }

    private static void flush(Lanes lanes, List<Object> accounts, List<String> keys) {
        if (!accounts.isEmpty()) {
            lanes.addAlone(new TimCall(TimApi.MULTIACCOUNT_IMPORT, Map.of("AccountList", List.copyOf(accounts)), keys));
            accounts.clear();
            keys.clear();
        }
    }
}
