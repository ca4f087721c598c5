#!/usr/bin/env bash
# One-shot topic bootstrap for docker/compose.yml (service kafka-init): the agentwatch topics with the partition
# counts and configs of `./agentwatch up` (embedded-stack TopicPlan.defaults(); a test keeps the two equal).
# Idempotent: existing topics are left as they are. Schemas need no step here: the services register their
# own subjects on first use, and the registry enforces BACKWARD compatibility globally (see compose.yml).
set -euo pipefail
bootstrap="${BOOTSTRAP_SERVERS:-kafka:19092}"
replication="${REPLICATION_FACTOR:-1}"

topic() {
  local name="$1" partitions="$2"
  shift 2
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$name" --partitions "$partitions" --replication-factor "$replication" "$@"
}

topic agent.events 6
topic agent.alerts 3
topic agent.events.dlq 3
topic agent.alerts.dlq 3
topic agent.rules 1 --config cleanup.policy=compact
topic agent.control 3

/opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --list
