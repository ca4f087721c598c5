package io.agentwatch.simulator.fleet;

/**
 * Where an agent sits in the fleet. Solo agents only run their own sessions. A crew is a hand-off chain
 * LEAD -> WORKER -> SPECIALIST: the lead's runs sometimes invoke the worker inside the same trace, whose runs
 * sometimes invoke the specialist. Single-agent incidents target solo agents only, so that a sick agent never
 * drags a healthy orchestrator into alerts; the cascade targets a crew.
 */
public enum AgentRole {
    SOLO, LEAD, WORKER, SPECIALIST
}
