package io.timbridge.importing;

import io.timbridge.tim.TimApi;

import java.util.Arrays;
import java.util.Optional;

/** The eight things an import moves, each with its route, the TIM API it calls and its request builder. */
public enum DataType {
    ACCOUNTS("accounts", TimApi.MULTIACCOUNT_IMPORT, "accountRequests"),
    PROFILES("profiles", TimApi.PORTRAIT_SET, "profileRequests"),
    FRIENDS("friends", TimApi.FRIEND_IMPORT, "friendRequests"),
    C2C_HISTORY("c2c-history", TimApi.IMPORTMSG, "c2cHistoryRequests"),
    GROUPS("groups", TimApi.IMPORT_GROUP, "groupRequests"),
    GROUP_MEMBERS("group-members", TimApi.IMPORT_GROUP_MEMBER, "groupMemberRequests"),
    GROUP_HISTORY("group-history", TimApi.IMPORT_GROUP_MSG, "groupHistoryRequests"),
    MEMBER_UNREAD("member-unread", TimApi.SET_UNREAD_MSG_NUM, "unreadRequests");

    private final String key;
    private final TimApi api;
    private final String builder;

    DataType(String key, TimApi api, String builder) {
        this.key = key;
        this.api = api;
        this.builder = builder;
    }

    /** Name of the bean that turns this type's legacy rows into TIM calls (convert/*Requests). */
    public String builder() {
        return builder;
    }

    /** The name used in configuration ({@code legacy.import.<key>.sql}) and on the command line ({@code --only}). */
    public String key() {
        return key;
    }

    public String routeId() {
        return "import-" + key;
    }

    public TimApi api() {
        return api;
    }

    public static Optional<DataType> byKey(String key) {
        return Arrays.stream(values()).filter(t -> t.key.equals(key.trim())).findFirst();
    }

    public static Optional<DataType> byRouteId(String routeId) {
        return Arrays.stream(values()).filter(t -> t.routeId().equals(routeId)).findFirst();
    }
}
