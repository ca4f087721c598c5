package io.agentwatch.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributeFilterTest {
    private final AttributeFilter filter = new AttributeFilter(List.of("agentwatch.team", "deployment.environment.name", " lane.* ", "", "x"));

    private boolean allowsBytes(String key) {
        byte[] padded = ("##" + key + "##").getBytes(StandardCharsets.UTF_8);
        return filter.allows(padded, 2, padded.length - 4);
    }

    @Test
    void shouldAllowExactKeysAndPrefixesAlikeAsStringsAndAsBytes() {
        for (String key : List.of("agentwatch.team", "deployment.environment.name", "lane.model", "lane.", "x")) {
            assertThat(filter.allows(key)).as(key).isTrue();
            assertThat(allowsBytes(key)).as(key).isTrue();
        }
        for (String key : List.of("agentwatch.tea", "agentwatch.teams", "lane", "user.id", "", "y", "deployment.environment.nam3")) {
            assertThat(filter.allows(key)).as(key).isFalse();
            assertThat(allowsBytes(key)).as(key).isFalse();
        }
        assertThat(AttributeFilter.none().allows("anything")).isFalse();
        assertThat(AttributeFilter.none().isEmpty()).isTrue();
    }
}
