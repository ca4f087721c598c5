package io.agentwatch.sink.delivery;

import io.agentwatch.schema.Alert;
import io.agentwatch.sink.routing.AlertLabels;
import io.agentwatch.sink.routing.ReceiverSpec;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes one log line per alert: the receiver of the default routes file, which needs no secret. */
public final class LogReceiver implements Receiver {
    private static final Logger log = LoggerFactory.getLogger("io.agentwatch.sink.alerts");

    private final ReceiverSpec spec;

    public LogReceiver(ReceiverSpec spec) {
        this.spec = spec;
    }

    @Override
    public ReceiverSpec spec() {
        return spec;
    }

    @Override
    public List<Outgoing> render(Notification n) {
        return List.of(new Outgoing(n.alerts(), null, new byte[0]));
    }

    @Override
    public Attempt send(Outgoing outgoing) {
        for (Envelope e : outgoing.alerts()) {
            Alert a = e.alert();
            log.info("{} {} [{}] {} value={} fingerprint={}: {}", a.getStatus(), a.getAlertname(), AlertLabels.severity(a),
                    AlertText.subject(a), AlertText.valueVsThreshold(a), a.getFingerprint(), a.getSummary());
        }
        return Attempt.success();
    }
}
