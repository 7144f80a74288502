package io.timbridge.tim;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The TIM REST APIs timbridge calls or serves, with TIM's documented default frequency limit
 * (requests per second per SDKAppID) and the maximum items one call may carry.
 * Where the docs disagree or say "unconfirmed", the value is the strictest documented one;
 * both are overridable in configuration ({@link TimLimits}).
 */
public enum TimApi {
    ACCOUNT_IMPORT("im_open_login_svc/account_import", 200, 1),
    MULTIACCOUNT_IMPORT("im_open_login_svc/multiaccount_import", 100, 100),
    ACCOUNT_CHECK("im_open_login_svc/account_check", 100, 100),
    ACCOUNT_DELETE("im_open_login_svc/account_delete", 100, 100),
    PORTRAIT_SET("profile/portrait_set", 200, 1),
    PORTRAIT_GET("profile/portrait_get", 200, 100),
    // friend_add / friend_import: maximum per call is unconfirmed; 100 is the safe reading.
    FRIEND_ADD("sns/friend_add", 200, 100),
    FRIEND_IMPORT("sns/friend_import", 200, 100),
    FRIEND_CHECK("sns/friend_check", 200, 1000),
    FRIEND_GET("sns/friend_get", 200, 100),
    IMPORTMSG("openim/importmsg", 200, 1),
    SENDMSG("openim/sendmsg", 200, 1),
    ADMIN_GETROAMMSG("openim/admin_getroammsg", 200, 100),
    IMPORT_GROUP("group_open_http_svc/import_group", 200, 1),
    IMPORT_GROUP_MEMBER("group_open_http_svc/import_group_member", 200, 20),
    IMPORT_GROUP_MSG("group_open_http_svc/import_group_msg", 200, 7),
    SET_UNREAD_MSG_NUM("group_open_http_svc/set_unread_msg_num", 200, 1),
    CREATE_GROUP("group_open_http_svc/create_group", 200, 100),
    DESTROY_GROUP("group_open_http_svc/destroy_group", 200, 1),
    MODIFY_GROUP_BASE_INFO("group_open_http_svc/modify_group_base_info", 200, 1),
    ADD_GROUP_MEMBER("group_open_http_svc/add_group_member", 200, 20),
    DELETE_GROUP_MEMBER("group_open_http_svc/delete_group_member", 200, 100),
    SEND_GROUP_MSG("group_open_http_svc/send_group_msg", 200, 1),
    GET_GROUP_INFO("group_open_http_svc/get_group_info", 200, 50),
    GET_GROUP_MEMBER_INFO("group_open_http_svc/get_group_member_info", 200, 200),
    GROUP_MSG_GET_SIMPLE("group_open_http_svc/group_msg_get_simple", 200, 20);

    private static final Map<String, TimApi> BY_PATH =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(TimApi::path, Function.identity()));

    private final String path;
    private final int defaultQps;
    private final int maxBatch;

    TimApi(String path, int defaultQps, int maxBatch) {
        this.path = path;
        this.defaultQps = defaultQps;
        this.maxBatch = maxBatch;
    }

    /** {@code service/command}, as in {@code /v4/service/command}. */
    public String path() {
        return path;
    }

    public String service() {
        return path.substring(0, path.indexOf('/'));
    }

    /** The command alone, e.g. {@code importmsg}; used as the key in configuration. */
    public String command() {
        return path.substring(path.indexOf('/') + 1);
    }

    public int defaultQps() {
        return defaultQps;
    }

    public int maxBatch() {
        return maxBatch;
    }

    public static Optional<TimApi> byPath(String path) {
        return Optional.ofNullable(BY_PATH.get(path));
    }

    public static Optional<TimApi> byCommand(String command) {
        return Arrays.stream(values()).filter(a -> a.command().equals(command)).findFirst();
    }
}
