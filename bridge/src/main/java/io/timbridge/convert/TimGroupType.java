package io.timbridge.convert;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * TIM group types. Legacy rows name them by TIM's current product names in lower case
 * (work, public, meeting, live, community); the REST API uses the older names.
 */
public enum TimGroupType {
    PRIVATE("Private", "work", true),
    PUBLIC("Public", "public", true),
    CHAT_ROOM("ChatRoom", "meeting", true),
    // Live groups keep no member list and no history, so import_group refuses them (10007).
    AV_CHAT_ROOM("AVChatRoom", "live", false),
    COMMUNITY("Community", "community", true);

    private final String restName;
    private final String legacyName;
    private final boolean importable;

    TimGroupType(String restName, String legacyName, boolean importable) {
        this.restName = restName;
        this.legacyName = legacyName;
        this.importable = importable;
    }

    /** The {@code Type} value of import_group / create_group. */
    public String restName() {
        return restName;
    }

    /** The {@code group_type} value in the reference legacy schema. */
    public String legacyName() {
        return legacyName;
    }

    /** Whether import_group, import_group_member and import_group_msg accept this type. */
    public boolean importable() {
        return importable;
    }

    /** Accepts the legacy name or the REST name, in any case. */
    public static Optional<TimGroupType> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(t -> t.legacyName.equals(n) || t.restName.toLowerCase(Locale.ROOT).equals(n))
                .findFirst();
    }
}
