package io.timbridge.sync;

import java.util.Arrays;
import java.util.Optional;

/** The TIM callbacks the bridge writes into the legacy database (callbacks.md). */
public enum CallbackCommand {
    C2C_AFTER_SEND_MSG("C2C.CallbackAfterSendMsg", "c2c-message"),
    GROUP_AFTER_SEND_MSG("Group.CallbackAfterSendMsg", "group-message"),
    GROUP_AFTER_CREATE_GROUP("Group.CallbackAfterCreateGroup", "group-created"),
    GROUP_AFTER_GROUP_DESTROYED("Group.CallbackAfterGroupDestroyed", "group-destroyed"),
    GROUP_AFTER_GROUP_INFO_CHANGED("Group.CallbackAfterGroupInfoChanged", "group-info-changed"),
    GROUP_AFTER_NEW_MEMBER_JOIN("Group.CallbackAfterNewMemberJoin", "member-join"),
    GROUP_AFTER_MEMBER_EXIT("Group.CallbackAfterMemberExit", "member-exit");

    private final String timName;
    private final String eventName;

    CallbackCommand(String timName, String eventName) {
        this.timName = timName;
        this.eventName = eventName;
    }

    /** TIM's {@code CallbackCommand}, e.g. {@code Group.CallbackAfterMemberExit}. */
    public String timName() {
        return timName;
    }

    /**
     * Our short name of the event, e.g. {@code member-exit}: it prefixes group event idempotency keys
     * (kept short so they fit 100-character key columns) and names SQL properties.
     */
    public String eventName() {
        return eventName;
    }

    /** The command with this exact TIM name, if the bridge handles it. */
    public static Optional<CallbackCommand> ofTimName(String timName) {
        return Arrays.stream(values()).filter(c -> c.timName.equals(timName)).findFirst();
    }
}
