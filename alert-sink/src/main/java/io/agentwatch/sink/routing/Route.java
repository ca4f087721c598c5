package io.agentwatch.sink.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A node of the routing tree, with the settings it inherited from its parents already applied.
 *
 * @param path           where it sits, for logs and group keys: {@code route}, {@code route.routes[1]}, ...
 * @param receiver       the receiver its notifications go to
 * @param matchers       all must match (the root has none)
 * @param continueMatching when true, siblings after it are tried even when it matched
 * @param groupBy        label names that split its alerts into groups; {@code ["..."]} means every label (one group
 *                       per alert); empty means one group for the whole route
 * @param groupWait      how long a new group waits for more alerts before its first notification
 * @param groupInterval  how long a group waits after a notification before the next one about new alerts
 * @param repeatInterval a FIRING alert already notified on this route is not notified again (same status) until this
 *                       much time has passed; zero forwards every repeat the processor sends
 * @param routes         children, tried in order
 */
public record Route(
        String path,
        String receiver,
        List<Matcher> matchers,
        boolean continueMatching,
        List<String> groupBy,
        Duration groupWait,
        Duration groupInterval,
        Duration repeatInterval,
        List<Route> routes) {

    public static final String ALL_LABELS = "...";

    public Route {
        matchers = List.copyOf(matchers);
        groupBy = List.copyOf(groupBy);
        routes = List.copyOf(routes);
    }

    public boolean matches(Map<String, String> labels) {
        for (Matcher m : matchers) {
            if (!m.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** True when alerts are sent one by one as they arrive, with no group buffer. */
    public boolean immediate() {
        return groupWait.isZero() && groupInterval.isZero();
    }
}
