package io.timbridge.convert;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A legacy row refused before calling TIM, because TIM would refuse it too. It becomes a dead letter:
 * the item key (as in docs/import-mapping.md), the rule it broke (one of the constants below), a reason
 * that names the offending value and the limit, and the row itself so it can be fixed and replayed.
 */
public record Refusal(String itemKey, String rule, String reason, Map<String, Object> row) {

    /** A UserID (account, sender, receiver, owner, member, friend) TIM does not accept. */
    public static final String USER_ID = "user-id";
    /** A profile value over 500 bytes, or a birthday that is not a date. */
    public static final String PROFILE_VALUE = "profile-value";
    /** An unknown message type or content that does not fit its type. */
    public static final String MESSAGE_BODY = "message-body";
    /** A MsgBody over TIM's 8000 bytes. */
    public static final String BODY_SIZE = "body-size";
    /** A message older than the configured history retention. */
    public static final String RETENTION = "retention";
    /** A GroupID TIM does not accept. */
    public static final String GROUP_ID = "group-id";
    /** Group name, introduction, notification or face URL TIM does not accept. */
    public static final String GROUP_PROFILE = "group-profile";
    /** A live message of a group the import could not bring to TIM. */
    public static final String GROUP_NOT_IN_TIM = "group-not-in-tim";
    /** A group type TIM cannot import (live groups) or does not know. */
    public static final String GROUP_TYPE = "group-type";

    public Refusal {
        Objects.requireNonNull(itemKey, "itemKey");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
        // Legacy rows hold nulls, which Map.copyOf rejects.
        row = Collections.unmodifiableMap(new LinkedHashMap<>(row));
    }
}
