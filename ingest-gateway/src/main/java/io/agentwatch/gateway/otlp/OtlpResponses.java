package io.agentwatch.gateway.otlp;

import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OTLP/HTTP answer bodies, in the encoding of the request: {@code ExportTraceServiceResponse} on success (with
 * {@code partial_success} when spans were rejected), and a {@code google.rpc.Status} for 4xx and 5xx answers, as
 * the OTLP specification requires. The Status message is two fields, written by hand so that the gateway does not
 * need the Google common-protos artifact.
 */
public final class OtlpResponses {
    public static final String PROTOBUF = "application/x-protobuf";
    public static final String JSON = "application/json";

    /** gRPC status codes that the OTLP spec pairs with HTTP answers. */
    public static final int INVALID_ARGUMENT = 3;
    public static final int RESOURCE_EXHAUSTED = 8;
    public static final int INTERNAL = 13;
    public static final int UNAVAILABLE = 14;
    public static final int UNAUTHENTICATED = 16;

    private OtlpResponses() {
    }

    public static byte[] success(boolean json, long rejectedSpans, String errorMessage) {
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            if (rejectedSpans > 0 || (errorMessage != null && !errorMessage.isEmpty())) {
                Map<String, Object> partial = new LinkedHashMap<>();
                partial.put("rejectedSpans", rejectedSpans);
                partial.put("errorMessage", errorMessage == null ? "" : errorMessage);
                body.put("partialSuccess", partial);
            }
            return toJson(body);
        }
        ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
        if (rejectedSpans > 0 || (errorMessage != null && !errorMessage.isEmpty())) {
            response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(rejectedSpans)
                    .setErrorMessage(errorMessage == null ? "" : errorMessage));
        }
        return response.build().toByteArray();
    }

    /** A google.rpc.Status: {@code code} (field 1) and {@code message} (field 2). */
    public static byte[] status(boolean json, int code, String message) {
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("code", code);
            body.put("message", message);
            return toJson(body);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeInt32(1, code);
            out.writeString(2, message);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] toJson(Map<String, Object> body) {
        try {
            return io.agentwatch.service.Responses.JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For tests and clients: the message of a protobuf-encoded google.rpc.Status. */
    public static String statusMessage(byte[] status) {
        try {
            com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(status);
            String message = "";
            for (int tag; (tag = in.readTag()) != 0; ) {
                if (tag == ((2 << 3) | 2)) {
                    message = new String(in.readByteArray(), StandardCharsets.UTF_8);
                } else {
                    in.skipField(tag);
                }
            }
            return message;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
