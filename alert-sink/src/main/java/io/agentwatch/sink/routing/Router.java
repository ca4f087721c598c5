package io.agentwatch.sink.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the routes an alert goes to, as Alertmanager walks its tree: depth first, children in order; a matching
 * child stops the search among its siblings unless it has {@code continue: true}; a node none of whose children
 * matched takes the alert itself. The result is never empty, because the root matches everything.
 */
public final class Router {
    private final Route root;

    public Router(Route root) {
        this.root = root;
    }

    public List<Route> routesFor(Map<String, String> labels) {
        List<Route> out = new ArrayList<>();
        walk(root, labels, out);
        return out;
    }

    private static boolean walk(Route node, Map<String, String> labels, List<Route> out) {
        if (!node.matches(labels)) {
            return false;
        }
        int before = out.size();
        for (Route child : node.routes()) {
            boolean matched = walk(child, labels, out);
            if (matched && !child.continueMatching()) {
                break;
            }
        }
        if (out.size() == before) {
            out.add(node);
        }
        return true;
    }

    public Route root() {
        return root;
    }
}
