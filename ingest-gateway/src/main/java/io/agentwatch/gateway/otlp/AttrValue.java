package io.agentwatch.gateway.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import java.nio.charset.StandardCharsets;

/**
 * An attribute value as the mapping reads it, whether it sits in an {@link AnyValue} message or in the bytes of a
 * protobuf request. Reusable: one instance per decoding pass, re-pointed at each value.
 */
abstract class AttrValue {
    static final int NONE = 0;
    static final int STRING = 1;
    static final int BOOL = 2;
    static final int INT = 3;
    static final int DOUBLE = 4;
    static final int ARRAY = 5;
    static final int MAP = 6;
    static final int BYTES = 7;

    abstract int kind();

    /** The string value; only for {@link #STRING}. */
    abstract String string();

    abstract long intValue();

    abstract double doubleValue();

    abstract boolean boolValue();

    /** Text of a scalar (numbers and booleans as their text); null for arrays, maps, bytes and no value. */
    final String scalar() {
        return switch (kind()) {
            case STRING -> string();
            case INT -> Long.toString(intValue());
            case DOUBLE -> Double.toString(doubleValue());
            case BOOL -> Boolean.toString(boolValue());
            default -> null;
        };
    }

    /** {@link #scalar()}, with the empty string as null. */
    final String text() {
        String s = scalar();
        return s == null || s.isEmpty() ? null : s;
    }

    /** An integer from an int, an integral double or a numeric string; null otherwise. */
    final Long integer() {
        switch (kind()) {
            case INT:
                return intValue();
            case DOUBLE: {
                double d = doubleValue();
                return d == Math.rint(d) && Math.abs(d) < 9.0e15 ? (long) d : null;
            }
            case STRING:
                try {
                    return Long.parseLong(string().strip());
                } catch (NumberFormatException e) {
                    return null;
                }
            default:
                return null;
        }
    }

    final Integer int32() {
        Long l = integer();
        return l == null || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE ? null : (int) l.longValue();
    }

    /** A number from an int, a double or a numeric string; null otherwise. */
    final Double decimal() {
        switch (kind()) {
            case INT:
                return (double) intValue();
            case DOUBLE:
                return doubleValue();
            case STRING:
                try {
                    return Double.parseDouble(string().strip());
                } catch (NumberFormatException e) {
                    return null;
                }
            default:
                return null;
        }
    }

    final String describe() {
        return switch (kind()) {
            case STRING -> "the string '" + abbreviate(string()) + "'";
            case BOOL -> "a boolean";
            case ARRAY -> "an array";
            case MAP -> "a map";
            case BYTES -> "bytes";
            case INT -> "the integer " + intValue();
            case DOUBLE -> "the number " + doubleValue();
            default -> "no value";
        };
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /** Over an AnyValue message. */
    static final class OfMessage extends AttrValue {
        private AnyValue v;

        OfMessage set(AnyValue value) {
            this.v = value;
            return this;
        }

        @Override
        int kind() {
            return switch (v.getValueCase()) {
                case STRING_VALUE -> STRING;
                case BOOL_VALUE -> BOOL;
                case INT_VALUE -> INT;
                case DOUBLE_VALUE -> DOUBLE;
                case ARRAY_VALUE -> ARRAY;
                case KVLIST_VALUE -> MAP;
                case BYTES_VALUE -> BYTES;
                default -> NONE;
            };
        }

        @Override
        String string() {
            return v.getStringValue();
        }

        @Override
        long intValue() {
            return v.getIntValue();
        }

        @Override
        double doubleValue() {
            return v.getDoubleValue();
        }

        @Override
        boolean boolValue() {
            return v.getBoolValue();
        }
    }

    /** Over the bytes of a protobuf request: the reader sets the kind and the value (a string as a range). */
    static final class OfBytes extends AttrValue {
        int kind;
        byte[] buf;
        int off;
        int len;
        long longValue;
        double doubleValue;
        private String decoded;

        void reset() {
            kind = NONE;
            decoded = null;
        }

        void setString(byte[] buf, int off, int len) {
            this.kind = STRING;
            this.buf = buf;
            this.off = off;
            this.len = len;
            this.decoded = null;
        }

        @Override
        int kind() {
            return kind;
        }

        @Override
        String string() {
            if (decoded == null) {
                decoded = new String(buf, off, len, StandardCharsets.UTF_8);
            }
            return decoded;
        }

        @Override
        long intValue() {
            return longValue;
        }

        @Override
        double doubleValue() {
            return doubleValue;
        }

        @Override
        boolean boolValue() {
            return longValue != 0;
        }
    }
}
