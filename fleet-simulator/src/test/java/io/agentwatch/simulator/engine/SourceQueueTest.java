package io.agentwatch.simulator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwatch.schema.AgentEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceQueueTest {

    static final class Named extends Source {
        final String name;

        Named(String name, long time) {
            this.name = name;
            this.time = time;
        }

        @Override
        AgentEvent fire(Generation generation) {
            return null;
        }
    }

    @Test
    void shouldServeByTimeThenFirstQueuedFirstAcrossTheRingAndTheFarHeap() {
        SourceQueue queue = new SourceQueue(0);
        queue.add(new Named("far-b", SourceQueue.RING + 10));
        queue.add(new Named("t5-a", 5));
        queue.add(new Named("far-a", SourceQueue.RING + 10));
        queue.add(new Named("t5-b", 5));
        queue.add(new Named("t0", 0));
        queue.add(new Named("very-far", 10L * SourceQueue.RING));

        List<String> order = new ArrayList<>();
        Source s;
        while ((s = queue.poll()) != null) {
            order.add(((Named) s).name);
            if (((Named) s).name.equals("t5-b")) {
                // queued while serving time 5, for the same far time: after the ones queued before it
                queue.add(new Named("far-c", SourceQueue.RING + 10));
            }
        }
        assertThat(order).containsExactly("t0", "t5-a", "t5-b", "far-b", "far-a", "far-c", "very-far");
    }

    @Test
    void shouldRefuseASourceInThePast() {
        SourceQueue queue = new SourceQueue(100);
        queue.add(new Named("a", 200));
        queue.poll();
        assertThatThrownBy(() -> queue.add(new Named("late", 150))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldDrawFromAnAliasTableInProportionToTheWeights() {
        AliasTable table = new AliasTable(new double[] {1, 3, 0, 6});
        Rng rng = new Rng(9);
        int[] counts = new int[4];
        for (int i = 0; i < 100_000; i++) {
            counts[table.sample(rng)]++;
        }
        assertThat(counts[2]).isZero();
        assertThat(counts[0] / 100_000.0).isCloseTo(0.1, org.assertj.core.data.Offset.offset(0.01));
        assertThat(counts[1] / 100_000.0).isCloseTo(0.3, org.assertj.core.data.Offset.offset(0.01));
        assertThat(counts[3] / 100_000.0).isCloseTo(0.6, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void shouldGiveTheSameStreamForTheSameSeedAndWellFormedIds() {
        Rng a = new Rng(5);
        Rng b = new Rng(5);
        for (int i = 0; i < 100; i++) {
            assertThat(a.nextLong()).isEqualTo(b.nextLong());
        }
        assertThat(Ids.uuid(a)).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(Ids.traceId(a)).matches("[0-9a-f]{32}");
        assertThat(Ids.spanId(a)).matches("[0-9a-f]{16}");
        assertThat(Ids.hex16(255)).isEqualTo("00000000000000ff");
    }
}
