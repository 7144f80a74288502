package io.timbridge.sandbox;

import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimLimits;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Configuration of the TIM sandbox, read from properties. Keys marked <i>strict</i> switch behaviour that
 * {@code tim-api/} lists as unconfirmed; each defaults to the stricter reading.
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>tim.sdk-app-id</td><td>(required)</td><td>the only SDKAppID the sandbox serves; others get 70020</td></tr>
 * <tr><td>tim.admin-identifier</td><td>(required)</td><td>the app admin; REST calls must use it, it exists as an account</td></tr>
 * <tr><td>tim.secret-key</td><td>(required)</td><td>key the UserSigs are checked with</td></tr>
 * <tr><td>sandbox.host</td><td>127.0.0.1</td><td>bind address</td></tr>
 * <tr><td>sandbox.port</td><td>18090</td><td>port; 0 = any free port (see {@link TimSandbox#port()})</td></tr>
 * <tr><td>sandbox.callback-url</td><td>(none)</td><td>where callbacks are POSTed; none = no callbacks</td></tr>
 * <tr><td>sandbox.callback-token</td><td>(none)</td><td>callback authentication token; when set, callbacks carry RequestTime and Sign</td></tr>
 * <tr><td>sandbox.callback-commands</td><td>all supported</td><td>comma-separated CallbackCommands switched on (TIM's console switches);
 *   supported: C2C.CallbackAfterSendMsg, Group.CallbackAfterCreateGroup, Group.CallbackAfterGroupDestroyed,
 *   Group.CallbackAfterGroupInfoChanged, Group.CallbackAfterNewMemberJoin, Group.CallbackAfterMemberExit,
 *   Group.CallbackAfterSendMsg, Sns.CallbackFriendAdd</td></tr>
 * <tr><td>sandbox.client-platform</td><td>Android</td><td>OptPlatform of callbacks caused by client-API users unless a call names one</td></tr>
 * <tr><td>sandbox.rate-limits.enabled</td><td>true</td><td>false lifts every frequency limit (benchmarks)</td></tr>
 * <tr><td>sandbox.limits.&lt;command&gt;.qps</td><td>TIM's default ({@link TimApi})</td><td>requests per second of one API; 0 = unlimited</td></tr>
 * <tr><td>sandbox.limits.&lt;command&gt;.batch-size</td><td>TIM's maximum ({@link TimApi})</td><td>items per call</td></tr>
 * <tr><td>sandbox.store-bodies</td><td>full</td><td>full = keep message bodies; checksum = keep only a SHA-256 fingerprint (reads return an empty MsgBody)</td></tr>
 * <tr><td>sandbox.roaming-retention-days</td><td>7</td><td>read APIs return only messages this recent (TIM's default roaming period; whether imported older history is readable is unconfirmed); 0 = all</td></tr>
 * <tr><td>sandbox.getroammsg.max-response-bytes</td><td>13000</td><td>admin_getroammsg stops a page at this many bytes of messages</td></tr>
 * <tr><td>sandbox.friend-get.page-size</td><td>100</td><td>friends per friend_get page (unconfirmed in TIM)</td></tr>
 * <tr><td>sandbox.max-accounts</td><td>0</td><td>plan's account limit (70398), 0 = none</td></tr>
 * <tr><td>sandbox.sendmsg.dedup-seconds</td><td>120</td><td>sendmsg dedup window</td></tr>
 * <tr><td>sandbox.send-group-msg.dedup-seconds</td><td>300</td><td>send_group_msg dedup window</td></tr>
 * <tr><td>sandbox.send-group-msg.dedup-key</td><td>random</td><td><i>strict</i>: random = a repeated Random alone is a duplicate; random-and-body = also the same body</td></tr>
 * <tr><td>sandbox.strict.query-params</td><td>true</td><td><i>strict</i>: {@code random} (u32) and {@code contenttype=json} must be present</td></tr>
 * <tr><td>sandbox.strict.user-id-charset</td><td>true</td><td><i>strict</i>: UserIDs only of {@code [A-Za-z0-9_-]}</td></tr>
 * <tr><td>sandbox.strict.importmsg-msgseq-required</td><td>true</td><td><i>strict</i>: importmsg needs MsgSeq</td></tr>
 * <tr><td>sandbox.strict.importmsg-future-timestamp</td><td>true</td><td><i>strict</i>: importmsg refuses a MsgTimeStamp in the future</td></tr>
 * <tr><td>sandbox.strict.msg-life-time-over-limit</td><td>true</td><td><i>strict</i>: sendmsg MsgLifeTime over 7 days is 90026 instead of capped</td></tr>
 * <tr><td>sandbox.strict.group-sender-must-be-member</td><td>true</td><td><i>strict</i>: send_group_msg From_Account (other than the admin) must be a member (10007)</td></tr>
 * <tr><td>sandbox.strict.import-group-msg-random-dedup</td><td>true</td><td><i>strict</i>: import_group_msg treats a Random repeated within 5 minutes of SendTime as the same message</td></tr>
 * <tr><td>sandbox.faults.seed</td><td>1</td><td>seed of the fault draws</td></tr>
 * <tr><td>sandbox.faults.&lt;command|*&gt;.error-code / error-probability / http-5xx-probability / http-status (502) /
 *   slow-probability / slow-ms / drop-probability / after-processing</td><td>0 / false</td><td>faults active from the start ({@link FaultSpec})</td></tr>
 * </table>
 */
public final class SandboxConfig {
    public static final String C2C_AFTER_SEND = "C2C.CallbackAfterSendMsg";
    public static final String GROUP_AFTER_CREATE = "Group.CallbackAfterCreateGroup";
    public static final String GROUP_AFTER_DESTROYED = "Group.CallbackAfterGroupDestroyed";
    public static final String GROUP_AFTER_INFO_CHANGED = "Group.CallbackAfterGroupInfoChanged";
    public static final String GROUP_AFTER_JOIN = "Group.CallbackAfterNewMemberJoin";
    public static final String GROUP_AFTER_EXIT = "Group.CallbackAfterMemberExit";
    public static final String GROUP_AFTER_SEND = "Group.CallbackAfterSendMsg";
    public static final String SNS_FRIEND_ADD = "Sns.CallbackFriendAdd";
    public static final List<String> SUPPORTED_CALLBACKS = List.of(C2C_AFTER_SEND, GROUP_AFTER_CREATE,
            GROUP_AFTER_DESTROYED, GROUP_AFTER_INFO_CHANGED, GROUP_AFTER_JOIN, GROUP_AFTER_EXIT, GROUP_AFTER_SEND,
            SNS_FRIEND_ADD);

    final long sdkAppId;
    final String adminIdentifier;
    final String secretKey;
    final String host;
    final int port;
    final String callbackUrl;
    final String callbackToken;
    final Set<String> callbackCommands;
    final String clientPlatform;
    final boolean rateLimitsEnabled;
    final TimLimits limits;
    final boolean storeBodies;
    final int roamingRetentionDays;
    final int getRoamMsgMaxResponseBytes;
    final int friendGetPageSize;
    final int maxAccounts;
    final int sendMsgDedupSeconds;
    final int sendGroupMsgDedupSeconds;
    final boolean groupDedupByBody;
    final boolean strictQueryParams;
    final boolean strictUserIdCharset;
    final boolean strictImportMsgSeqRequired;
    final boolean strictImportMsgFutureTimestamp;
    final boolean strictMsgLifeTime;
    final boolean strictGroupSenderMember;
    final boolean strictImportGroupMsgRandomDedup;
    final long faultSeed;
    final Map<String, FaultSpec> faults;

    private SandboxConfig(Properties p) {
        sdkAppId = Long.parseLong(required(p, "tim.sdk-app-id"));
        adminIdentifier = required(p, "tim.admin-identifier");
        secretKey = required(p, "tim.secret-key");
        host = get(p, "sandbox.host", "127.0.0.1");
        port = integer(p, "sandbox.port", 18090);
        callbackUrl = blankToNull(p.getProperty("sandbox.callback-url"));
        callbackToken = blankToNull(p.getProperty("sandbox.callback-token"));
        String commands = blankToNull(p.getProperty("sandbox.callback-commands"));
        callbackCommands = commands == null ? new LinkedHashSet<>(SUPPORTED_CALLBACKS)
                : Arrays.stream(commands.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        for (String c : callbackCommands) {
            if (!SUPPORTED_CALLBACKS.contains(c)) {
                throw new IllegalArgumentException("sandbox.callback-commands: unsupported " + c);
            }
        }
        clientPlatform = get(p, "sandbox.client-platform", "Android");
        rateLimitsEnabled = bool(p, "sandbox.rate-limits.enabled", true);
        limits = TimLimits.from(p, "sandbox.limits");
        String store = get(p, "sandbox.store-bodies", "full");
        if (!store.equals("full") && !store.equals("checksum")) {
            throw new IllegalArgumentException("sandbox.store-bodies must be full or checksum, was " + store);
        }
        storeBodies = store.equals("full");
        roamingRetentionDays = integer(p, "sandbox.roaming-retention-days", 7);
        getRoamMsgMaxResponseBytes = integer(p, "sandbox.getroammsg.max-response-bytes", 13_000);
        friendGetPageSize = integer(p, "sandbox.friend-get.page-size", 100);
        maxAccounts = integer(p, "sandbox.max-accounts", 0);
        sendMsgDedupSeconds = integer(p, "sandbox.sendmsg.dedup-seconds", 120);
        sendGroupMsgDedupSeconds = integer(p, "sandbox.send-group-msg.dedup-seconds", 300);
        String dedupKey = get(p, "sandbox.send-group-msg.dedup-key", "random");
        if (!dedupKey.equals("random") && !dedupKey.equals("random-and-body")) {
            throw new IllegalArgumentException("sandbox.send-group-msg.dedup-key must be random or random-and-body");
        }
        groupDedupByBody = dedupKey.equals("random-and-body");
        strictQueryParams = bool(p, "sandbox.strict.query-params", true);
        strictUserIdCharset = bool(p, "sandbox.strict.user-id-charset", true);
        strictImportMsgSeqRequired = bool(p, "sandbox.strict.importmsg-msgseq-required", true);
        strictImportMsgFutureTimestamp = bool(p, "sandbox.strict.importmsg-future-timestamp", true);
        strictMsgLifeTime = bool(p, "sandbox.strict.msg-life-time-over-limit", true);
        strictGroupSenderMember = bool(p, "sandbox.strict.group-sender-must-be-member", true);
        strictImportGroupMsgRandomDedup = bool(p, "sandbox.strict.import-group-msg-random-dedup", true);
        faultSeed = Long.parseLong(get(p, "sandbox.faults.seed", "1"));
        faults = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith("sandbox.faults.") && !name.equals("sandbox.faults.seed")) {
                String rest = name.substring("sandbox.faults.".length());
                int dot = rest.indexOf('.');
                if (dot > 0) {
                    String command = rest.substring(0, dot);
                    faults.computeIfAbsent(command, c -> FaultSpec.fromProperties(p, "sandbox.faults." + c + "."));
                }
            }
        }
    }

    /** Reads {@code sandbox.*} and the three {@code tim.*} keys; fails on a missing or malformed value. */
    public static SandboxConfig from(Properties properties) {
        return new SandboxConfig(properties);
    }

    public long sdkAppId() {
        return sdkAppId;
    }

    public String adminIdentifier() {
        return adminIdentifier;
    }

    private static String required(Properties p, String key) {
        String v = blankToNull(p.getProperty(key));
        if (v == null) {
            throw new IllegalArgumentException(key + " is required");
        }
        return v;
    }

    private static String get(Properties p, String key, String def) {
        String v = blankToNull(p.getProperty(key));
        return v == null ? def : v;
    }

    private static int integer(Properties p, String key, int def) {
        return Integer.parseInt(get(p, key, Integer.toString(def)));
    }

    private static boolean bool(Properties p, String key, boolean def) {
        String v = get(p, key, Boolean.toString(def));
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(key + " must be true or false, was " + v);
        }
        return Boolean.parseBoolean(v);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
