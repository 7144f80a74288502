package io.timbridge.legacy.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class GeneratorOptionsTest {

    @Test
    void everyOptionHasADefault() {
        GeneratorOptions o = GeneratorOptions.defaults();

        assertThat(o.url()).isEqualTo("jdbc:h2:file:./data/legacy");
        assertThat(o.users()).isEqualTo(1000);
        assertThat(o.conversations()).isEqualTo(1000);
        assertThat(o.groups()).isEqualTo(50);
        assertThat(o.messages()).isEqualTo(20_000);
        assertThat(o.seed()).isEqualTo(42);
        assertThat(o.badShare()).isEqualTo(0.01);
        assertThat(o.reset()).isFalse();
    }

    @Test
    void optionsAreParsedFromNameValueArguments() {
        GeneratorOptions o = GeneratorOptions.parse("--url=jdbc:postgresql://db/legacy", "--user=im", "--password=pw",
                "--users=10_000", "--friends-per-user=20", "--conversations=30000", "--groups=400",
                "--messages=200000", "--group-message-share=0.25", "--seed=7", "--bad-share=0.02",
                "--batch-size=500", "--reset", "--start-date=2022-06-01", "--days=90");

        assertThat(o).isEqualTo(new GeneratorOptions("jdbc:postgresql://db/legacy", "im", "pw", 10_000, 20, 30_000,
                400, 200_000, 0.25, 7, 0.02, 500, true, LocalDate.of(2022, 6, 1), 90));
    }

    @Test
    void conversationsAndGroupsScaleWithUsers() {
        GeneratorOptions o = GeneratorOptions.parse("--users=400");
        assertThat(o.conversations()).isEqualTo(400);
        assertThat(o.groups()).isEqualTo(20);
    }

    @Test
    void mistakesAreExplained() {
        assertThatThrownBy(() -> GeneratorOptions.parse("--userz=5"))
                .hasMessageContaining("unknown option(s) [userz]").hasMessageContaining("usage:");
        assertThatThrownBy(() -> GeneratorOptions.parse("users=5")).hasMessageContaining("unexpected argument");
        assertThatThrownBy(() -> GeneratorOptions.parse("--users=many")).hasMessageContaining("--users must be a whole number");
        assertThatThrownBy(() -> GeneratorOptions.parse("--users=1")).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> GeneratorOptions.parse("--bad-share=1")).hasMessageContaining("--bad-share");
        assertThatThrownBy(() -> GeneratorOptions.parse("--bad-share=x")).hasMessageContaining("must be a number");
    }
}
