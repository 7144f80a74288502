package io.timbridge.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportWriterTest {

    private static VerifyReport report() {
        VerifyReport report = new VerifyReport("2026-01-01T00:00:00Z", null, null, 0);
        TypeResult profiles = new TypeResult("profiles", 10);
        profiles.matched();
        profiles.different(List.of(Difference.different("u<1>", "Tag_Profile_IM_Nick",
                "<script>alert('x')</script>", "Bob & \"Alice\"")));
        profiles.deadLetter("u_<long>", "user-id: longer than 32 bytes");
        report.add(profiles);
        return report;
    }

    @Test
    void htmlEscapesEveryValueFromEitherSide() {
        String html = ReportWriter.html(report());

        assertThat(html).doesNotContain("<script>").doesNotContain("u<1>")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                .contains("Bob &amp; &quot;Alice&quot;")
                .contains("u&lt;1&gt;")
                .contains("u_&lt;long&gt;").contains("user-id: longer than 32 bytes")
                .contains("The two sides differ");
    }

    @Test
    void deadLettersAreCountedByRuleOrTimCodeAndListedBehindACollapsedSection() throws Exception {
        TypeResult groups = new TypeResult("groups", 1);
        groups.deadLetter("g1", "group-profile: Name is 40 bytes, at most 30");
        groups.deadLetter("g2", "group-profile: Introduction is 300 bytes, at most 240");
        groups.deadLetter("g3", "TIM error 10004 on v4/group_open_http_svc/import_group: invalid parameter");
        VerifyReport report = new VerifyReport("2026-01-01T00:00:00Z", null, null, 0);
        report.add(groups);

        String html = ReportWriter.html(report);

        assertThat(groups.deadLettersByReason()).containsExactly(java.util.Map.entry("TIM 10004", 1L),
                java.util.Map.entry("group-profile", 2L));
        assertThat(html).containsPattern("<td>group-profile</td><td class=\"n\">2</td>")
                .contains("<details><summary>The first 1 with their reasons");
    }

    @Test
    void aDifferingTypesNotesReachTheTerminal() {
        TypeResult c2c = new TypeResult("c2c-history", 10);
        c2c.missingMessageInTim("a:b:1", "1", 1_600_000_000L, "hello");
        c2c.note("1 of the 1 messages missing in TIM are older than 7 days");
        VerifyReport report = new VerifyReport("2026-01-01T00:00:00Z", null, null, 0);
        report.add(c2c);

        assertThat(ReportWriter.summary(report)).contains("c2c-history: 1 of the 1 messages missing in TIM are older");
        assertThat(c2c.missingOutsideDefaultWindow()).isEqualTo(1);
        assertThat(c2c.differences().get(0).legacy()).isEqualTo("hello");
    }

    @Test
    void htmlIsSelfContained() {
        String html = ReportWriter.html(report());

        assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("src=");
    }

    @Test
    void jsonHasExactCountsAndTheListedDifferences(@TempDir Path dir) throws Exception {
        ReportWriter.writeJson(report(), dir.resolve("r.json"));
        JsonNode json = new ObjectMapper().readTree(dir.resolve("r.json").toFile());

        assertThat(json.path("matches").asBoolean()).isFalse();
        JsonNode profiles = json.path("types").get(0);
        assertThat(profiles.path("legacy").asLong()).isEqualTo(2);
        assertThat(profiles.path("different").asLong()).isEqualTo(1);
        assertThat(profiles.path("differences").get(0).path("legacy").asText()).isEqualTo("<script>alert('x')</script>");
        assertThat(profiles.path("deadLetters").get(0).path("key").asText()).isEqualTo("u_<long>");
    }

    @Test
    void summaryHasOneLinePerTypeAndTheVerdict() {
        String summary = ReportWriter.summary(report());

        assertThat(summary.lines().filter(l -> l.startsWith("profiles"))).hasSize(1);
        assertThat(summary).contains("The two sides differ");
    }

    /** Every legacy message out of TIM's reach: nothing compared, so no "match" anywhere, exit 5's verdict. */
    @Test
    void aTypeWhoseItemsWereAllOutOfReachIsNotVerifiedAndNothingSaysMatch() {
        VerifyReport report = new VerifyReport("2026-01-01T00:00:00Z", null, null, 0);
        TypeResult accounts = new TypeResult("accounts", 10);
        accounts.matched();
        TypeResult history = new TypeResult("c2c-history", 10);
        for (int i = 0; i < 3; i++) {
            history.beyondWindow();
        }
        report.add(accounts);
        report.add(history);

        assertThat(accounts.verdict()).isEqualTo("MATCH");
        assertThat(history.verdict()).isEqualTo("NOT VERIFIED");
        assertThat(report.unverified()).containsExactly("c2c-history");
        String summary = ReportWriter.summary(report);
        assertThat(summary).contains("NOT VERIFIED: c2c-history").doesNotContain("Both sides match");
        assertThat(summary.lines().filter(l -> l.startsWith("c2c-history"))).singleElement()
                .satisfies(l -> assertThat(l).endsWith("NOT VERIFIED"));
        String html = ReportWriter.html(report);
        assertThat(html).contains("NOT VERIFIED").doesNotContain("Both sides match").doesNotContain("class=\"ok\">Both");
    }

    @Test
    void anEmptyTypeIsNoUnverifiedOne() {
        assertThat(new TypeResult("groups", 10).verdict()).isEqualTo("MATCH");
    }
}
