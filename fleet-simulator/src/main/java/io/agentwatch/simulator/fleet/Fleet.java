package io.agentwatch.simulator.fleet;

import io.agentwatch.simulator.engine.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agents of one simulation, drawn from a seed: about 30% of them in crews of three (hand-off chains), the
 * rest solo; models, tools, tenants, versions and limits spread over the {@link Catalog}; session shares skewed
 * log-normally so that agents emit at similar but not equal rates. The same seed and size give the same fleet.
 */
public final class Fleet {
    /** Heartbeats and healthy runs stay well below this: agents never get a limit under it. */
    public static final int MIN_MAX_ITERATIONS = 8;

    private final List<AgentProfile> agents;
    private final List<int[]> crews;
    private final List<Integer> solo;

    private Fleet(List<AgentProfile> agents, List<int[]> crews, List<Integer> solo) {
        this.agents = List.copyOf(agents);
        this.crews = List.copyOf(crews);
        this.solo = List.copyOf(solo);
    }

    /** Number of crews in a fleet of this size: one per ten agents, none below six agents. */
    public static int crewCount(int agents) {
        return agents < 6 ? 0 : Math.max(1, Math.round(agents * 0.3f / 3));
    }

    public static Fleet generate(long seed, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a fleet needs at least one agent, got " + size);
        }
        Rng rng = new Rng(Rng.mix(seed, 0x5eed_f1ee7L));
        int crewCount = crewCount(size);
        AgentRole[] roles = new AgentRole[size];
        Arrays.fill(roles, AgentRole.SOLO);
        // crews take evenly spread slots so that their ids are mixed among the solo agents'
        int[] crewStart = new int[crewCount];
        int stride = size / Math.max(1, crewCount);
        for (int c = 0; c < crewCount; c++) {
            int start = c * stride + rng.nextInt(Math.max(1, stride - 2));
            crewStart[c] = start;
            roles[start] = AgentRole.LEAD;
            roles[start + 1] = AgentRole.WORKER;
            roles[start + 2] = AgentRole.SPECIALIST;
        }
        List<AgentProfile> agents = new ArrayList<>(size);
        List<Integer> solo = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            agents.add(agent(rng, i, roles[i], size));
            if (roles[i] == AgentRole.SOLO) {
                solo.add(i);
            }
        }
        List<int[]> crews = new ArrayList<>();
        for (int start : crewStart) {
            crews.add(new int[] {start, start + 1, start + 2});
        }
        return new Fleet(agents, crews, solo);
    }

    private static AgentProfile agent(Rng rng, int i, AgentRole role, int size) {
        String tenant = Catalog.TENANTS.get(rng.nextInt(Catalog.TENANTS.size()));
        String name;
        String workflow;
        if (role == AgentRole.SOLO) {
            String[] r = Catalog.ROLES.get(rng.nextInt(Catalog.ROLES.size()));
            name = r[0];
            workflow = r[1];
        } else {
            name = Catalog.CREW_ROLES.get(role.ordinal() - 1);
            workflow = Catalog.CREW_WORKFLOW;
        }
        int width = Math.max(3, Integer.toString(size - 1).length());
        String agentId = tenant + "-" + name + "-" + String.format("%0" + width + "d", i);
        ModelProfile model = Catalog.MODELS.get(pick(rng, Catalog.MODEL_SHARE));
        String version = rng.nextInt(1, 3) + "." + rng.nextInt(0, 9) + "." + rng.nextInt(0, 9);

        int toolCount = rng.nextInt(3, 4);
        List<Integer> all = new ArrayList<>();
        for (int t = 0; t < Catalog.TOOLS.size(); t++) {
            all.add(t);
        }
        shuffle(all, rng);
        int[] tools = new int[toolCount];
        double[] cumulative = new double[toolCount];
        boolean approvals = false;
        double total = 0;
        for (int t = 0; t < toolCount; t++) {
            tools[t] = all.get(t);
            approvals |= Catalog.TOOLS.get(tools[t]).requiresApproval();
            total += t == 0 ? 0.45 : 0.55 / (toolCount - 1);
            cumulative[t] = total;
        }
        cumulative[toolCount - 1] = 1.0;

        int maxIterations = MIN_MAX_ITERATIONS + rng.nextInt(0, 3) * 2 + (rng.nextInt(2) == 0 ? 0 : 1);
        double confidence = 0.74 + rng.nextDouble() * 0.16;
        String risk = approvals ? "high" : (rng.nextInt(3) == 0 ? "medium" : "low");

        Map<String, String> attributes = new TreeMap<>();
        attributes.put("model_lane", model.lane());
        attributes.put("risk_class", risk);
        attributes.put("team", "team-" + workflow);

        AgentRole delegateRole = role == AgentRole.LEAD ? AgentRole.WORKER : role == AgentRole.WORKER ? AgentRole.SPECIALIST : null;
        int delegate = delegateRole == null ? -1 : i + 1;
        double handoff = role == AgentRole.LEAD ? 0.5 : role == AgentRole.WORKER ? 0.4 : 0.0;
        double weight = Math.max(0.25, Math.min(4.0, Math.exp(0.5 * rng.nextGaussian())));
        return new AgentProfile(i, agentId, name, version, tenant, workflow, model, tools, cumulative, maxIterations,
                confidence, Collections.unmodifiableMap(attributes), role, delegate, handoff, weight);
    }

    private static int pick(Rng rng, double[] shares) {
        double u = rng.nextDouble();
        double sum = 0;
        for (int i = 0; i < shares.length; i++) {
            sum += shares[i];
            if (u < sum) {
                return i;
            }
        }
        return shares.length - 1;
    }

    /** Fisher-Yates with our own stream (Collections.shuffle would tie the order to java.util.Random). */
    public static <T> void shuffle(List<T> list, Rng rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, rng.nextInt(i + 1));
        }
    }

    public List<AgentProfile> agents() {
        return agents;
    }

    public AgentProfile agent(int index) {
        return agents.get(index);
    }

    public int size() {
        return agents.size();
    }

    /** Crews as {lead, worker, specialist} agent indexes. */
    public List<int[]> crews() {
        return crews;
    }

    /** Indexes of the solo agents. */
    public List<Integer> solo() {
        return solo;
    }
}
