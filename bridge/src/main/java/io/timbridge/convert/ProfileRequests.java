package io.timbridge.convert;

import io.timbridge.tim.TimApi;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * profiles → {@code portrait_set}, one call per user. A user is one row, or several consecutive rows
 * when custom fields are joined in ({@code field_key}, {@code field_value}); the standard columns are
 * read from the user's first row. A user who appears in two separate runs gets one call per run, both
 * in the same lane. NULL columns and custom keys without a configured tag are not sent; a user with
 * nothing to set makes no call.
 * <p>
 * A value over 500 bytes refuses the whole user ({@code profile-value}) rather than dropping the tag:
 * a partial profile would look imported while it is not, whereas a dead letter can be fixed and replayed.
 * The refusal carries the row that holds the offending value. Item key: {@code user_id}.
 */
public final class ProfileRequests implements RequestBuilder {

    static final String TYPE = "profiles";
    private static final Pattern CUSTOM_TAG = Pattern.compile("Tag_Profile_Custom_[A-Za-z]{1,8}");

    private final Map<String, String> customTags;

    /**
     * @param customTags legacy {@code field_key} → {@code Tag_Profile_Custom_*} tag,
     *                   e.g. level → Tag_Profile_Custom_Level
     */
    public ProfileRequests(Map<String, String> customTags) {
        Map<String, String> tags = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        customTags.forEach((key, tag) -> {
            requireTag(key, tag);
            if (!used.add(tag)) {
                throw new IllegalArgumentException(TYPE + ": custom tag " + tag + " is mapped from two field keys");
            }
            tags.put(key, tag);
        });
        this.customTags = Collections.unmodifiableMap(tags);
    }

    /**
     * Parses {@code bridge.import.profiles.custom-tags}: comma-separated {@code field_key:Tag_Profile_Custom_Name}
     * entries, e.g. {@code level:Tag_Profile_Custom_Level, vip:Tag_Profile_Custom_Vip}. Blank means none.
     */
    public static Map<String, String> parseCustomTags(String property) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (property == null || property.isBlank()) {
            return tags;
        }
        for (String entry : property.split(",", -1)) {
            String[] parts = entry.split(":", -1);
            if (parts.length != 2 || parts[0].isBlank()) {
                throw new IllegalArgumentException(TYPE + ": custom tag entry '" + entry.strip()
                        + "' is not field_key:Tag_Profile_Custom_Name");
            }
            String key = parts[0].strip();
            String tag = parts[1].strip();
            requireTag(key, tag);
            if (tags.put(key, tag) != null) {
                throw new IllegalArgumentException(TYPE + ": field key '" + key + "' is mapped twice");
            }
        }
        return tags;
    }

    private static void requireTag(String key, String tag) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException(TYPE + ": a custom tag has an empty field key");
        }
        if (tag == null || !CUSTOM_TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException(TYPE + ": tag '" + tag + "' for field key '" + key
                    + "' must be Tag_Profile_Custom_ followed by 1 to 8 English letters");
        }
    }

    public Map<String, String> customTags() {
        return customTags;
    }

    @Override
    public Requests build(List<Map<String, Object>> rows) {
        Lanes lanes = new Lanes();
        int start = 0;
        while (start < rows.size()) {
            String userId = LegacyRow.text(rows.get(start), "user_id", TYPE);
            int end = start + 1;
            while (end < rows.size() && Objects.equals(userId, LegacyRow.text(rows.get(end), "user_id", TYPE))) {
                end++;
            }
            user(userId, rows.subList(start, end), lanes);
            start = end;
        }
        return lanes.requests();
    }

    private void user(String userId, List<Map<String, Object>> rows, Lanes lanes) {
        String key = String.valueOf(userId);
        Map<String, Object> first = rows.get(0);
        Optional<Refusal> badId = Checks.userId(key, "From_Account", userId, first);
        if (badId.isPresent()) {
            lanes.refuse(badId.get());
            return;
        }
        List<Object> items = new ArrayList<>();
        Optional<Refusal> refusal = standard(key, first, items);
        if (refusal.isPresent()) {
            lanes.refuse(refusal.get());
            return;
        }
        // Several rows may set one tag (a key repeated by the join): the last value wins, in the first position.
        Map<String, Object> custom = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            String tag = customTags.get(LegacyRow.optionalText(row, "field_key", TYPE));
            String value = LegacyRow.optionalText(row, "field_value", TYPE);
            if (tag == null || value == null) {
                continue;
            }
            refusal = tooLong(key, tag, value, row);
            if (refusal.isPresent()) {
                lanes.refuse(refusal.get());
                return;
            }
            custom.put(tag, value);
        }
        custom.forEach((tag, value) -> items.add(item(tag, value)));
        if (!items.isEmpty()) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("From_Account", userId);
            request.put("ProfileItem", items);
            lanes.add(userId, new TimCall(TimApi.PORTRAIT_SET, request, List.of(key)));
        }
    }

    /** Adds the standard tags of the user's first row in the mapping's order; a refusal if one cannot be sent. */
    private static Optional<Refusal> standard(String key, Map<String, Object> row, List<Object> items) {
        Optional<Refusal> refusal = stringTag(key, row, "nickname", "Tag_Profile_IM_Nick", items)
                .or(() -> stringTag(key, row, "avatar_url", "Tag_Profile_IM_Image", items));
        if (refusal.isPresent()) {
            return refusal;
        }
        Object gender = LegacyRow.optionalValue(row, "gender");
        if (gender != null) {
            items.add(item("Tag_Profile_IM_Gender", gender(gender)));
        }
        Object birthday = LegacyRow.optionalValue(row, "birthday");
        if (birthday != null) {
            Optional<LocalDate> date = date(birthday);
            if (date.isEmpty()) {
                return Optional.of(new Refusal(key, Refusal.PROFILE_VALUE, "birthday "
                        + Checks.quote(birthday.toString()) + " is not a date (yyyy-MM-dd) for Tag_Profile_IM_BirthDay",
                        row));
            }
            LocalDate d = date.get();
            int yyyymmdd = d.getYear() * 10_000 + d.getMonthValue() * 100 + d.getDayOfMonth();
            items.add(item("Tag_Profile_IM_BirthDay", yyyymmdd));
        }
        return stringTag(key, row, "signature", "Tag_Profile_IM_SelfSignature", items)
                .or(() -> stringTag(key, row, "location", "Tag_Profile_IM_Location", items));
    }

    private static Optional<Refusal> stringTag(String key, Map<String, Object> row, String column, String tag,
            List<Object> items) {
        String value = LegacyRow.optionalText(row, column, TYPE);
        if (value == null) {
            return Optional.empty();
        }
        items.add(item(tag, value));
        return tooLong(key, tag, value, row);
    }

    private static Optional<Refusal> tooLong(String key, String tag, String value, Map<String, Object> row) {
        return Checks.refusal(key, Refusal.PROFILE_VALUE, TimRules.checkProfileValue(tag, value), value, row);
    }

    static String gender(Object gender) {
        Long code;
        try {
            code = LegacyRow.toLong(gender, "gender", TYPE);
        } catch (IllegalArgumentException notANumber) {
            code = null;
        }
        return code == null ? "Gender_Type_Unknown"
                : code == 1 ? "Gender_Type_Male"
                : code == 2 ? "Gender_Type_Female"
                : "Gender_Type_Unknown";
    }

    /** A DATE column as JDBC drivers return it, or a yyyy-MM-dd string. */
    static Optional<LocalDate> date(Object value) {
        if (value instanceof java.sql.Date sqlDate) {
            return Optional.of(sqlDate.toLocalDate());
        }
        if (value instanceof LocalDate localDate) {
            return Optional.of(localDate);
        }
        if (value instanceof LocalDateTime dateTime) {
            return Optional.of(dateTime.toLocalDate());
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return Optional.of(timestamp.toLocalDateTime().toLocalDate());
        }
        if (value instanceof String text) {
            try {
                return Optional.of(LocalDate.parse(text.strip()));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        throw new IllegalArgumentException(TYPE + ": column 'birthday' must be a DATE or a yyyy-MM-dd string, was "
                + value.getClass().getName());
    }

    private static Map<String, Object> item(String tag, Object value) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("Tag", tag);
        item.put("Value", value);
        return item;
    }
}
