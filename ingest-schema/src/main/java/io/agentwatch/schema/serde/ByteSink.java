package io.agentwatch.schema.serde;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable, reusable, unsynchronized byte buffer with the Avro binary primitives the hand-written codecs need. */
public final class ByteSink extends OutputStream {
    private byte[] buf;
    private int count;

    public ByteSink(int initialCapacity) {
        this.buf = new byte[initialCapacity];
    }

    public void reset() {
        count = 0;
    }

    public int size() {
        return count;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, count);
    }

    private void ensure(int extra) {
        if (count + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + extra));
        }
    }

    @Override
    public void write(int b) {
        ensure(1);
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    public void varLong(long v) {
        ensure(10);
        long n = (v << 1) ^ (v >> 63);
        while ((n & ~0x7FL) != 0) {
            buf[count++] = (byte) ((n & 0x7f) | 0x80);
            n >>>= 7;
        }
        buf[count++] = (byte) n;
    }

    public void string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        varLong(bytes.length);
        write(bytes, 0, bytes.length);
    }

    public void optionalString(String s) {
        if (s == null) {
            varLong(0);
        } else {
            varLong(1);
            string(s);
        }
    }

    public void optionalLong(Long v) {
        if (v == null) {
            varLong(0);
        } else {
            varLong(1);
            varLong(v);
        }
    }

    public void optionalDouble(Double v) {
        if (v == null) {
            varLong(0);
            return;
        }
        varLong(1);
        doubleValue(v);
    }

    /** A double as Avro writes it: 8 bytes, little-endian IEEE 754. */
    public void doubleValue(double v) {
        ensure(8);
        long bits = Double.doubleToRawLongBits(v);
        for (int i = 0; i < 8; i++) {
            buf[count++] = (byte) (bits >>> (8 * i));
        }
    }
}
