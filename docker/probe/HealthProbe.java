import java.net.HttpURLConnection;
import java.net.URL;

/**
 * The images' HEALTHCHECK: {@code java -cp /app/probe HealthProbe <default port> [path]} exits 0 when
 * {@code http://127.0.0.1:<port><path>} answers 200 within two seconds, 1 otherwise. The port is the service's
 * {@code AGENTWATCH_HTTP_PORT} when that is set (the probe must follow the service), else the default given.
 * A class of its own, compiled in the image's build stage, because the runtime image is a bare JRE: no curl or
 * wget is assumed, and a JRE cannot run a source file.
 */
public final class HealthProbe {
    private HealthProbe() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: HealthProbe <default port> [path, default /health]");
            System.exit(2);
        }
        String env = System.getenv("AGENTWATCH_HTTP_PORT");
        String port = env != null && !env.isBlank() ? env.trim() : args[0];
        String path = args.length > 1 ? args[1] : "/health";
        System.exit(check("http://127.0.0.1:" + port + path) ? 0 : 1);
    }

    static boolean check(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setConnectTimeout(2_000);
            c.setReadTimeout(2_000);
            c.setInstanceFollowRedirects(false);
            int code = c.getResponseCode();
            c.disconnect();
            if (code != 200) {
                System.err.println(url + " answered " + code);
            }
            return code == 200;
        } catch (Exception e) {
            System.err.println(url + ": " + e);
            return false;
        }
    }
}
