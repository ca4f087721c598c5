package io.agentwatch.processor.state;

/**
 * Reads the compact state layouts written with {@link io.agentwatch.schema.serde.ByteSink}: zig-zag varints,
 * little-endian doubles, length-prefixed UTF-8 strings. Bounds-checked: a corrupt or truncated state record is an
 * {@link IllegalStateException}, never garbage.
 */
public final class ByteReader {
    private final byte[] buf;
    private int pos;
    private final int end;

    public ByteReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public ByteReader(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
    }

    public boolean hasMore() {
        return pos < end;
    }

    public long varLong() {
        long value = 0;
        int shift = 0;
        while (true) {
            if (pos >= end) {
                throw new IllegalStateException("state record truncated");
            }
            int b = buf[pos++] & 0xff;
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (value >>> 1) ^ -(value & 1);
            }
            shift += 7;
            if (shift > 63) {
                throw new IllegalStateException("state record has a varint longer than 10 bytes");
            }
        }
    }

    public int varInt() {
        long v = varLong();
        if (v != (int) v) {
            throw new IllegalStateException("state record int out of range: " + v);
        }
        return (int) v;
    }

    public double doubleValue() {
        if (end - pos < 8) {
            throw new IllegalStateException("state record truncated");
        }
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits |= (buf[pos + i] & 0xffL) << (8 * i);
        }
        pos += 8;
        return Double.longBitsToDouble(bits);
    }

    /** Eight bytes, little-endian, as {@link #writeFixedLong} writes them (hashes, bit patterns). */
    public long fixedLong() {
        if (end - pos < 8) {
            throw new IllegalStateException("state record truncated");
        }
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits |= (buf[pos + i] & 0xffL) << (8 * i);
        }
        pos += 8;
        return bits;
    }

    /** Writes eight bytes, little-endian: the counterpart of {@link #fixedLong}. */
    public static void writeFixedLong(io.agentwatch.schema.serde.ByteSink out, long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    public String string() {
        int n = varInt();
        if (n < 0 || n > end - pos) {
            throw new IllegalStateException("state record string length " + n + " out of range");
        }
        String s = new String(buf, pos, n, java.nio.charset.StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    /** A string written with {@code ByteSink.optionalString}: null or the value. */
    public String optionalString() {
        long branch = varLong();
        return branch == 0 ? null : string();
    }
}
