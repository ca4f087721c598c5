package io.agentwatch.gateway.otlp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The attribute keys the mapping reads, as small integer codes, findable both from a String (the message and JSON
 * paths) and from the UTF-8 bytes of a protobuf request without making a String (the fast path).
 */
final class AttributeKeys {
    static final int NONE = 0;
    static final int OPERATION_NAME = 1;
    static final int AGENT_ID = 2;
    static final int AGENT_NAME = 3;
    static final int AGENT_VERSION = 4;
    static final int CONVERSATION_ID = 5;
    static final int SESSION_ID = 6;
    static final int WORKFLOW = 7;
    static final int PROVIDER = 8;
    static final int SYSTEM = 9;
    static final int REQUEST_MODEL = 10;
    static final int RESPONSE_MODEL = 11;
    static final int INPUT_TOKENS = 12;
    static final int PROMPT_TOKENS = 13;
    static final int OUTPUT_TOKENS = 14;
    static final int COMPLETION_TOKENS = 15;
    static final int TOOL_NAME = 16;
    static final int TOOL_ARGUMENTS = 17;
    static final int ERROR_TYPE = 18;
    static final int COST_USD = 19;
    static final int RETRY_COUNT = 20;
    static final int ITERATION = 21;
    static final int MAX_ITERATIONS = 22;
    static final int CONFIDENCE = 23;
    static final int OUTCOME = 24;
    static final int APPROVAL = 25;
    static final int TOOL_ARGS_HASH = 26;
    static final int TENANT = 27;
    static final int SERVICE_NAME = 28;
    static final int SERVICE_VERSION = 29;
    /** Another {@code gen_ai.usage.*}, {@code gen_ai.agent.*} or {@code gen_ai.tool.*} key: GenAI meaning, no field. */
    static final int GEN_AI_OTHER = 30;

    static final String[] NAMES = new String[31];
    private static final Map<String, Integer> BY_NAME = new HashMap<>();
    private static final int TABLE_SIZE = 256;
    private static final byte[][][] TABLE_KEYS = new byte[TABLE_SIZE][][];
    private static final int[][] TABLE_CODES = new int[TABLE_SIZE][];
    private static final byte[][] GEN_AI_PREFIXES = {
        "gen_ai.usage.".getBytes(StandardCharsets.US_ASCII),
        "gen_ai.agent.".getBytes(StandardCharsets.US_ASCII),
        "gen_ai.tool.".getBytes(StandardCharsets.US_ASCII)};

    static {
        add(OPERATION_NAME, "gen_ai.operation.name");
        add(AGENT_ID, "gen_ai.agent.id");
        add(AGENT_NAME, "gen_ai.agent.name");
        add(AGENT_VERSION, "gen_ai.agent.version");
        add(CONVERSATION_ID, "gen_ai.conversation.id");
        add(SESSION_ID, "session.id");
        add(WORKFLOW, "gen_ai.workflow.name");
        add(PROVIDER, "gen_ai.provider.name");
        add(SYSTEM, "gen_ai.system");
        add(REQUEST_MODEL, "gen_ai.request.model");
        add(RESPONSE_MODEL, "gen_ai.response.model");
        add(INPUT_TOKENS, "gen_ai.usage.input_tokens");
        add(PROMPT_TOKENS, "gen_ai.usage.prompt_tokens");
        add(OUTPUT_TOKENS, "gen_ai.usage.output_tokens");
        add(COMPLETION_TOKENS, "gen_ai.usage.completion_tokens");
        add(TOOL_NAME, "gen_ai.tool.name");
        add(TOOL_ARGUMENTS, "gen_ai.tool.call.arguments");
        add(ERROR_TYPE, "error.type");
        add(COST_USD, "agentwatch.cost_usd");
        add(RETRY_COUNT, "agentwatch.retry_count");
        add(ITERATION, "agentwatch.iteration");
        add(MAX_ITERATIONS, "agentwatch.max_iterations");
        add(CONFIDENCE, "agentwatch.confidence");
        add(OUTCOME, "agentwatch.outcome");
        add(APPROVAL, "agentwatch.approval");
        add(TOOL_ARGS_HASH, "agentwatch.tool_args_hash");
        add(TENANT, "agentwatch.tenant");
        add(SERVICE_NAME, "service.name");
        add(SERVICE_VERSION, "service.version");
        NAMES[GEN_AI_OTHER] = "gen_ai.*";
    }

    private AttributeKeys() {
    }

    private static void add(int code, String name) {
        NAMES[code] = name;
        BY_NAME.put(name, code);
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        int slot = slot(bytes, 0, bytes.length);
        byte[][] keys = TABLE_KEYS[slot];
        int[] codes = TABLE_CODES[slot];
        if (keys == null) {
            TABLE_KEYS[slot] = new byte[][] {bytes};
            TABLE_CODES[slot] = new int[] {code};
        } else {
            TABLE_KEYS[slot] = Arrays.copyOf(keys, keys.length + 1);
            TABLE_KEYS[slot][keys.length] = bytes;
            TABLE_CODES[slot] = Arrays.copyOf(codes, codes.length + 1);
            TABLE_CODES[slot][codes.length] = code;
        }
    }

    /** A cheap slot from the length and three bytes; collisions are resolved by comparing the bytes. */
    private static int slot(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        return (len * 31 + b[off + len - 1] * 7 + b[off + (len >> 1)] * 3 + b[off + len - 2 < off ? off : off + len - 2]) & (TABLE_SIZE - 1);
    }

    static int code(String key) {
        Integer code = BY_NAME.get(key);
        if (code != null) {
            return code;
        }
        return key.startsWith("gen_ai.usage.") || key.startsWith("gen_ai.agent.") || key.startsWith("gen_ai.tool.") ? GEN_AI_OTHER : NONE;
    }

    static int code(byte[] b, int off, int len) {
        int slot = slot(b, off, len);
        byte[][] keys = TABLE_KEYS[slot];
        if (keys != null) {
            for (int i = 0; i < keys.length; i++) {
                byte[] k = keys[i];
                if (k.length == len && Arrays.equals(k, 0, len, b, off, off + len)) {
                    return TABLE_CODES[slot][i];
                }
            }
        }
        for (byte[] prefix : GEN_AI_PREFIXES) {
            if (len > prefix.length && Arrays.equals(prefix, 0, prefix.length, b, off, off + prefix.length)) {
                return GEN_AI_OTHER;
            }
        }
        return NONE;
    }
}
