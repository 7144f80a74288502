package io.timbridge.verify;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FieldComparatorTest {
    private final TypeResult result = new TypeResult("profiles", 10);

    @Test
    void equalValuesMatchWhateverTheirJsonType() {
        FieldComparator.compare("u1", Map.of("Tag_Profile_IM_BirthDay", 20190419L, "Tag_Profile_IM_Nick", "A"),
                Map.of("Tag_Profile_IM_BirthDay", "20190419", "Tag_Profile_IM_Nick", "A"), result);

        assertThat(result.matching()).isEqualTo(1);
        assertThat(result.matches()).isTrue();
    }

    @Test
    void aChangedFieldIsOneDifferentItemWithBothValues() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("Tag_Profile_IM_Nick", "Alice");
        expected.put("Tag_Profile_IM_Gender", "Gender_Type_Female");
        FieldComparator.compare("u1", expected, Map.of("Tag_Profile_IM_Nick", "Bob",
                "Tag_Profile_IM_Gender", "Gender_Type_Male"), result);

        assertThat(result.different()).isEqualTo(1);
        assertThat(result.differences()).containsExactly(
                Difference.different("u1", "Tag_Profile_IM_Nick", "Alice", "Bob"),
                Difference.different("u1", "Tag_Profile_IM_Gender", "Gender_Type_Female", "Gender_Type_Male"));
    }

    @Test
    void anAbsentValueEqualsTheEmptyStringTimReturns() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("Introduction", null);
        FieldComparator.compare("g1", expected, Map.of("Introduction", ""), result);

        assertThat(result.matching()).isEqualTo(1);
    }

    @Test
    void missingOnEitherSideIsCountedOnThatSide() {
        FieldComparator.compare("u1", Map.of("Role", "Admin"), null, result);
        FieldComparator.compare("u2", null, Map.of("Role", "Member"), result);

        assertThat(result.missingInTim()).isEqualTo(1);
        assertThat(result.missingInLegacy()).isEqualTo(1);
        assertThat(result.legacy()).isEqualTo(1);
        assertThat(result.tim()).isEqualTo(1);
        assertThat(result.differences()).extracting(Difference::key).containsExactly("u1", "u2");
    }

    @Test
    void anItemTheImportLeftAsDeadLetterIsListedAsSuchNotAsMissing() {
        result.knownDeadLetter("u1", "TIM error 70107: account not imported");
        FieldComparator.compare("u1", Map.of("Role", "Admin"), null, result);

        assertThat(result.matches()).isTrue();
        assertThat(result.deadLetters()).containsExactly(
                new TypeResult.DeadLetter("u1", "TIM error 70107: account not imported"));
    }

    @Test
    void countsStayExactBeyondTheListingCap() {
        TypeResult capped = new TypeResult("accounts", 2);
        for (int i = 0; i < 5; i++) {
            capped.missingInTim("u" + i);
        }

        assertThat(capped.missingInTim()).isEqualTo(5);
        assertThat(capped.differences()).hasSize(2);
        assertThat(capped.unlisted()).isEqualTo(3);
    }
}
