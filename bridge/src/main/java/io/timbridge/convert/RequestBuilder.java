package io.timbridge.convert;

import java.util.List;
import java.util.Map;

/**
 * Turns one page of legacy rows of one data type (canonical columns of docs/import-mapping.md, any
 * letter case) into TIM calls and refusals. Deterministic: the same rows give equal requests.
 * A column the data type requires that is missing from the rows is a configuration error and throws
 * {@link IllegalArgumentException}; a row TIM would refuse becomes a {@link Refusal}.
 */
public interface RequestBuilder {

    Requests build(List<Map<String, Object>> rows);
}
