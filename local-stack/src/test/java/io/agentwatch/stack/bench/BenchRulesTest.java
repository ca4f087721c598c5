package io.agentwatch.stack.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwatch.processor.rules.RuleKind;
import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.processor.rules.RulesFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchRulesTest {
    @TempDir
    Path dir;

    @Test
    void shouldKeepOnlyTheBuiltInWindowAndEventRulesForCore() throws Exception {
        RuleSet all = RulesFile.defaults();
        RuleSet core = RulesFile.load(BenchRules.write(BenchRules.CORE, dir));

        assertThat(core.all()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.kind()).isIn(RuleKind.WINDOW, RuleKind.EVENT));
        assertThat(core.all()).hasSize(all.ofKind(RuleKind.WINDOW).size() + all.ofKind(RuleKind.EVENT).size());
        assertThat(core.byId("agent-error-rate-high").orElseThrow())
                .isEqualTo(all.byId("agent-error-rate-high").orElseThrow());
    }

    @Test
    void shouldUseTheBuiltInRulesForAllAndRefuseABrokenFile() throws Exception {
        assertThat(BenchRules.write(BenchRules.ALL, dir)).isNull();
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "rules: [ {id: x} ]");
        assertThatThrownBy(() -> BenchRules.write(broken.toString(), dir)).isInstanceOf(RuntimeException.class);
    }
}
