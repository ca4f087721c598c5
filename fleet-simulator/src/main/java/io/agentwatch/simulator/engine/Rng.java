package io.agentwatch.simulator.engine;

/**
 * A small, fast, seedable random stream (SplitMix64) with the few distributions the simulator draws from.
 *
 * <p>It exists instead of {@link java.util.SplittableRandom} so that every draw, including the Gaussian one, is
 * defined here and not by the JDK: the same seed then gives the same fleet on every Java version, which the
 * byte-identical-output promise of {@link io.agentwatch.simulator.FleetSimulator} needs. Not thread-safe; each
 * generation owns its streams.
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long state;
    private double spareGaussian;
    private boolean hasSpare;

    public Rng(long seed) {
        this.state = seed;
    }

    /** A seed for an independent stream, mixed from a parent seed and a label (e.g. an incident's index). */
    public static long mix(long seed, long label) {
        return mix64(seed + GOLDEN_GAMMA * (label + 1));
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    /** A new stream whose draws do not depend on what this one is used for afterwards. */
    public Rng split() {
        return new Rng(nextLong());
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound), bound > 0 (multiply-shift; the bias is below 2^-32 for the bounds used here). */
    public int nextInt(int bound) {
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** Uniform in [from, to] inclusive. */
    public int nextInt(int from, int to) {
        return from + nextInt(to - from + 1);
    }

    public boolean chance(double probability) {
        return probability > 0 && nextDouble() < probability;
    }

    /** Standard normal, Marsaglia's polar method. */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u;
        double v;
        double s;
        do {
            u = nextDouble() * 2 - 1;
            v = nextDouble() * 2 - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * m;
        hasSpare = true;
        return u * m;
    }

    /**
     * Log-normal with the given median and shape, clipped to [median / clip, median * clip] so that no healthy draw
     * ever lands in the tail where an alert threshold lives.
     */
    public double logNormal(double median, double sigma, double clip) {
        double x = median * Math.exp(sigma * nextGaussian());
        return Math.max(median / clip, Math.min(median * clip, x));
    }

    /** Exponential with the given mean. */
    public double exponential(double mean) {
        return -Math.log(1 - nextDouble()) * mean;
    }
}
