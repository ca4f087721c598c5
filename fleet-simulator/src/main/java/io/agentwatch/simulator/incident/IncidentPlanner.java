package io.agentwatch.simulator.incident;

import io.agentwatch.simulator.Durations;
import io.agentwatch.simulator.engine.Rng;
import io.agentwatch.simulator.fleet.AgentProfile;
import io.agentwatch.simulator.fleet.Fleet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the requested {@link IncidentSpec}s into {@link Incident}s: picks each one's agents from a seeded
 * shuffle (solo agents for single-agent kinds, a whole crew for a cascade; never the same agent twice, and at
 * least {@link #HEALTHY_SOLO_AGENTS} solo agents left healthy as a control group), and fills in default timing:
 * a start at 25% of the simulation (plus 2% per position in the list, so that the alerts of simultaneous
 * incidents come in a readable order) and a length of half the simulation, cut at its end.
 */
public final class IncidentPlanner {
    /** Solo agents that no incident touches, so that "no false alarm on healthy agents" means something. */
    public static final int HEALTHY_SOLO_AGENTS = 2;

    private IncidentPlanner() {
    }

    public static List<Incident> plan(List<IncidentSpec> specs, Fleet fleet, long seed, long startMs, Duration duration) {
        int soloNeeded = 0;
        int crewsNeeded = 0;
        for (IncidentSpec spec : specs) {
            if (spec.kind().target() == IncidentKind.Target.CREW) {
                crewsNeeded++;
            } else {
                soloNeeded++;
            }
        }
        if (!specs.isEmpty() && (fleet.solo().size() < soloNeeded + HEALTHY_SOLO_AGENTS || fleet.crews().size() < crewsNeeded)) {
            throw new IllegalArgumentException(specs.size() + " incidents need " + soloNeeded + " solo agents plus "
                    + HEALTHY_SOLO_AGENTS + " healthy ones" + (crewsNeeded > 0 ? " and " + crewsNeeded + " crew(s) of three" : "")
                    + ", but a fleet of " + fleet.size() + " agents has " + fleet.solo().size() + " solo agents and "
                    + fleet.crews().size() + " crew(s); use at least " + minimumAgents(soloNeeded, crewsNeeded) + " agents");
        }
        Rng rng = new Rng(Rng.mix(seed, 0x1c1de27L));
        List<Integer> solo = new ArrayList<>(fleet.solo());
        Fleet.shuffle(solo, rng);
        List<int[]> crews = new ArrayList<>(fleet.crews());
        Fleet.shuffle(crews, rng);

        long durationMs = duration.toMillis();
        long endOfSimulation = startMs + durationMs;
        List<Incident> incidents = new ArrayList<>();
        int nextSolo = 0;
        int nextCrew = 0;
        for (int i = 0; i < specs.size(); i++) {
            IncidentSpec spec = specs.get(i);
            long offset = spec.offset() != null ? spec.offset().toMillis() : durationMs / 4 + i * durationMs / 50;
            if (offset >= durationMs) {
                throw new IllegalArgumentException("incident " + spec + " starts at " + Durations.format(Duration.ofMillis(offset))
                        + ", at or after the end of the simulation (" + Durations.format(duration) + ")");
            }
            long length = spec.length() != null ? spec.length().toMillis() : durationMs / 2;
            long start = startMs + offset;
            long end = Math.min(endOfSimulation, start + length);
            List<AgentProfile> agents = new ArrayList<>();
            if (spec.kind().target() == IncidentKind.Target.CREW) {
                for (int index : crews.get(nextCrew++)) {
                    agents.add(fleet.agent(index));
                }
            } else {
                agents.add(fleet.agent(solo.get(nextSolo++)));
            }
            String id = spec.kind().id() + "-" + (i + 1);
            Incident.Setup setup = new Incident.Setup(spec.kind(), id, start, end, agents, new Rng(Rng.mix(seed, 1_000 + i)));
            incidents.add(spec.kind().create(setup));
        }
        return List.copyOf(incidents);
    }

    /** The smallest fleet with enough solo agents and crews for these incidents. */
    public static int minimumAgents(int solo, int crews) {
        int n = 1;
        while (n - 3 * Fleet.crewCount(n) < solo + HEALTHY_SOLO_AGENTS || Fleet.crewCount(n) < crews) {
            n++;
        }
        return n;
    }
}
