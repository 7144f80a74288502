package io.timbridge.tim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tencentyun.TLSSigAPIv2;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * TLSSigAPIv2 UserSig: generated with Tencent's official library, verified (for the sandbox)
 * by the reverse of the same algorithm, mapping each failure to the error code TIM returns.
 */
public final class UserSig {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Outcome of checking a UserSig, with TIM's error code (0 when valid). */
    public enum Verdict {
        VALID(0, "OK"),
        EXPIRED(70001, "UserSig expired, generate a new one"),
        UNDECODABLE(70003, "UserSig is not a valid TLSSigAPIv2 string"),
        SIGNATURE_MISMATCH(70009, "UserSig verification failed: wrong secret key or tampered sig"),
        IDENTIFIER_MISMATCH(70013, "identifier in the URL differs from the identifier in the UserSig"),
        SDKAPPID_MISMATCH(70014, "sdkappid in the URL differs from the sdkappid in the UserSig");

        private final int errorCode;
        private final String info;

        Verdict(int errorCode, String info) {
            this.errorCode = errorCode;
            this.info = info;
        }

        public int errorCode() {
            return errorCode;
        }

        public String info() {
            return info;
        }
    }

    private UserSig() {
    }

    /** A UserSig for {@code identifier}, valid for {@code expireSeconds} from now. */
    public static String generate(long sdkAppId, String secretKey, String identifier, long expireSeconds) {
        return new TLSSigAPIv2(sdkAppId, secretKey).genUserSig(identifier, expireSeconds);
    }

    /** The {@code TLS.sig} field: Base64(HMAC-SHA256(key, content)) over the documented content lines. */
    public static String hmac(String secretKey, String identifier, long sdkAppId, long time, long expire) {
        String content = "TLS.identifier:" + identifier + "\n"
                + "TLS.sdkappid:" + sdkAppId + "\n"
                + "TLS.time:" + time + "\n"
                + "TLS.expire:" + expire + "\n";
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Decodes a UserSig into its JSON document, or null when it is not a TLSSigAPIv2 string. */
    public static JsonNode decode(String userSig) {
        if (userSig == null || userSig.isBlank()) {
            return null;
        }
        try {
            String b64 = userSig.trim().replace('*', '+').replace('-', '/').replace('_', '=');
            byte[] compressed = Base64.getDecoder().decode(b64);
            Inflater inflater = new Inflater();
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[512];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                out.write(buf, 0, n);
                if (out.size() > 16_384) {
                    return null;
                }
            }
            inflater.end();
            JsonNode doc = JSON.readTree(out.toByteArray());
            return doc != null && doc.isObject() ? doc : null;
        } catch (IllegalArgumentException | DataFormatException | java.io.IOException e) {
            return null;
        }
    }

    /**
     * Checks a UserSig presented with {@code identifier} and {@code sdkAppId} in the request URL,
     * the way TIM does, at {@code nowSeconds}.
     */
    public static Verdict verify(String userSig, long sdkAppId, String identifier, String secretKey, long nowSeconds) {
        JsonNode doc = decode(userSig);
        if (doc == null || !doc.hasNonNull("TLS.sig") || !doc.hasNonNull("TLS.identifier")
                || !doc.path("TLS.sdkappid").canConvertToLong() || !doc.path("TLS.time").canConvertToLong()
                || !doc.path("TLS.expire").canConvertToLong() || doc.has("TLS.userbuf")) {
            return Verdict.UNDECODABLE;
        }
        String sigIdentifier = doc.get("TLS.identifier").asText();
        long sigApp = doc.get("TLS.sdkappid").asLong();
        long time = doc.get("TLS.time").asLong();
        long expire = doc.get("TLS.expire").asLong();
        if (sigApp != sdkAppId) {
            return Verdict.SDKAPPID_MISMATCH;
        }
        if (!sigIdentifier.equals(identifier)) {
            return Verdict.IDENTIFIER_MISMATCH;
        }
        String expected = hmac(secretKey, sigIdentifier, sigApp, time, expire);
        if (!java.security.MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII),
                doc.get("TLS.sig").asText().getBytes(StandardCharsets.US_ASCII))) {
            return Verdict.SIGNATURE_MISMATCH;
        }
        if (nowSeconds > time + expire) {
            return Verdict.EXPIRED;
        }
        return Verdict.VALID;
    }
}
