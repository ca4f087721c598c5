package io.agentwatch.processor.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.schema.serde.ByteSink;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencySketchTest {
    private static final double[] QUANTILES = {0.0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0};

    @Test
    void shouldStayWithinOnePercentOfTheExactQuantilesOfLogNormalLatencies() {
        SplittableRandom random = new SplittableRandom(42);
        for (double sigma : new double[] {0.2, 0.8, 2.0}) {
            LatencySketch sketch = new LatencySketch();
            long[] values = new long[50_000];
            for (int i = 0; i < values.length; i++) {
                values[i] = Math.max(1, Math.round(Math.exp(Math.log(1500) + sigma * gaussian(random))));
                sketch.add(values[i]);
            }
            Arrays.sort(values);
            for (double q : QUANTILES) {
                double exact = values[(int) Math.floor(q * (values.length - 1))];
                assertThat(sketch.quantile(q)).as("sigma %s q %s", sigma, q).isCloseTo(exact, org.assertj.core.data.Percentage.withPercentage(1.0));
            }
        }
    }

    @Test
    void shouldAgreeWithDatadogsDdsketchAtTheSameAccuracy() {
        SplittableRandom random = new SplittableRandom(7);
        LatencySketch ours = new LatencySketch();
        DDSketch reference = DDSketches.unboundedDense(LatencySketch.RELATIVE_ACCURACY);
        for (int i = 0; i < 20_000; i++) {
            long ms = 1 + random.nextLong(120_000);
            ours.add(ms);
            reference.accept(ms);
        }
        for (double q : QUANTILES) {
            assertThat(ours.quantile(q)).as("q %s", q).isCloseTo(reference.getValueAtQuantile(q), org.assertj.core.data.Percentage.withPercentage(2.05));
        }
    }

    @Test
    void shouldMergeAndSubtractExactly() {
        SplittableRandom random = new SplittableRandom(3);
        LatencySketch a = new LatencySketch();
        LatencySketch b = new LatencySketch();
        LatencySketch both = new LatencySketch();
        for (int i = 0; i < 5_000; i++) {
            long x = random.nextLong(0, 10_000);
            long y = random.nextLong(50_000, 900_000);
            a.add(x);
            b.add(y);
            both.add(x);
            both.add(y);
        }
        LatencySketch merged = a.copy();
        merged.merge(b);
        for (double q : QUANTILES) {
            assertThat(merged.quantile(q)).isEqualTo(both.quantile(q));
        }

        merged.subtract(b);

        for (double q : QUANTILES) {
            assertThat(merged.quantile(q)).isEqualTo(a.quantile(q));
        }
        assertThat(merged.count()).isEqualTo(a.count());
    }

    @Test
    void shouldRefuseToSubtractWhatWasNeverAdded() {
        LatencySketch a = new LatencySketch();
        a.add(10);
        LatencySketch b = new LatencySketch();
        b.add(10_000);

        assertThatThrownBy(() -> a.subtract(b)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRoundTripThroughItsCompactLayout() {
        LatencySketch sketch = new LatencySketch();
        sketch.add(0);
        for (long ms = 1; ms < 100_000; ms = ms * 3 / 2 + 1) {
            sketch.add(ms);
        }
        ByteSink out = new ByteSink(64);
        sketch.encode(out);

        LatencySketch back = LatencySketch.decode(new ByteReader(out.toByteArray()));

        assertThat(back.count()).isEqualTo(sketch.count());
        for (double q : QUANTILES) {
            assertThat(back.quantile(q)).isEqualTo(sketch.quantile(q));
        }
        assertThat(out.size()).as("about a byte per bin spanned (1 ms .. 100 s is ~570 bins)").isLessThan(600);
    }

    @Test
    void shouldAnswerNaNWhenEmptyAndZeroForZeroLatencies() {
        LatencySketch sketch = new LatencySketch();
        assertThat(sketch.quantile(0.95)).isNaN();
        sketch.add(0);
        assertThat(sketch.quantile(0.95)).isZero();
    }

    @Test
    void shouldPlaceEveryValueInTheBinThatBoundsIt() {
        for (long ms = 1; ms < 200_000; ms += 7) {
            int i = LatencySketch.indexOf(ms);
            assertThat(Math.pow(LatencySketch.GAMMA, i)).as("upper bound of bin for %d", ms).isGreaterThanOrEqualTo(ms * (1 - 1e-12));
            if (i > 0) {
                assertThat(Math.pow(LatencySketch.GAMMA, i - 1)).as("lower bound of bin for %d", ms).isLessThan(ms * (1 + 1e-12));
            }
        }
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(Math.max(u1, 1e-300))) * Math.cos(2 * Math.PI * u2);
    }
}
