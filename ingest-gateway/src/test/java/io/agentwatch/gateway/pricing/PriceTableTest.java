package io.agentwatch.gateway.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwatch.service.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {
    private final PriceTable table = new PriceTable(Map.of(
            "gpt-4o", new PriceTable.Price(0.0025, 0.01),
            "gpt-4o-mini", new PriceTable.Price(0.00015, 0.0006),
            "claude-sonnet-4", new PriceTable.Price(0.003, 0.015)));

    @Test
    void shouldPriceInputAndOutputTokensPerThousand() {
        assertThat(table.cost("gpt-4o", 2000L, 500L)).isCloseTo(2 * 0.0025 + 0.5 * 0.01, Offset.offset(1e-12));
        assertThat(table.cost("gpt-4o", null, 1000L)).isCloseTo(0.01, Offset.offset(1e-12));
    }

    @Test
    void shouldMatchDatedAndVersionedVariantsButNotOtherModelsThatShareAPrefix() {
        assertThat(table.find("gpt-4o-2024-08-06")).contains(new PriceTable.Price(0.0025, 0.01));
        assertThat(table.find("GPT-4o")).contains(new PriceTable.Price(0.0025, 0.01));
        assertThat(table.find("gpt-4o-mini-2024-07-18")).contains(new PriceTable.Price(0.00015, 0.0006));
        assertThat(table.find("claude-sonnet-4@20250514")).contains(new PriceTable.Price(0.003, 0.015));
        assertThat(table.find("gpt-4o-audio-preview")).isEmpty();
        assertThat(table.find("gpt-4")).isEmpty();
    }

    @Test
    void shouldLeaveTheCostEmptyWithoutTokensOrWithoutAPrice() {
        assertThat(table.cost("gpt-4o", null, null)).isNull();
        assertThat(table.cost("unknown-model", 10L, 10L)).isNull();
        assertThat(table.cost(null, 10L, 10L)).isNull();
    }

    @Test
    void shouldLoadAJsonFileAndNameWhatIsWrongWithABadOne(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("prices.json"), "{\"m-1\": {\"input_per_1k\": 0.001, \"output_per_1k\": 0.002}}");
        assertThat(PriceTable.load(good).find("m-1")).contains(new PriceTable.Price(0.001, 0.002));

        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"m-1\": {\"input_per_1k\": -1, \"output_per_1k\": 0.002}}");
        assertThatThrownBy(() -> PriceTable.load(bad)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("model 'm-1' needs input_per_1k");
        assertThatThrownBy(() -> PriceTable.load(dir.resolve("missing.json"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot read the price table");
    }

    @Test
    void shouldParseTheExampleTableShippedWithTheModule() {
        PriceTable example = PriceTable.load(Path.of("prices.example.json"));
        assertThat(example.size()).isGreaterThan(3);
    }
}
