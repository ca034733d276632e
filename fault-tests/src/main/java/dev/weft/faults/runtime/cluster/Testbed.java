package dev.weft.faults.runtime.cluster;

import dev.weft.faults.runtime.engine.DockerEngine;
import dev.weft.faults.runtime.image.NodeImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one private Docker Engine of this JVM, with the node image imported and Testcontainers
 * pointed at it: started on first use, stopped (everything removed) when the JVM exits, whether
 * the run passed or failed. Testcontainers' client is global to the JVM, which is why there is
 * exactly one engine per JVM.
 *
 * <p>Testcontainers is pointed at the engine with the {@code DOCKER_HOST} system property, read
 * by its docker-java configuration because {@code testcontainers.properties} sets {@code
 * dockerconfig.source=autoIgnoringUserProperties}. Its reaper (Ryuk) cannot be pulled here and is
 * disabled only by the environment variable {@code TESTCONTAINERS_RYUK_DISABLED=true}, which the
 * build and {@code fault-tests/run} set; without it this class refuses to start.
 */
public final class Testbed {

    private static final Logger LOG = LoggerFactory.getLogger(Testbed.class);
    private static Testbed shared;

    private final DockerEngine engine;
    private final String image;
    private final java.util.concurrent.atomic.AtomicInteger clusters = new java.util.concurrent.atomic.AtomicInteger();

    private Testbed(DockerEngine engine, String image) {
        this.engine = engine;
        this.image = image;
    }

    /** The JVM's testbed, started now if needed (a cold image cache adds ~40 s once). */
    public static synchronized Testbed shared() {
        if (shared == null) {
            if (!"true".equals(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
                throw new IllegalStateException("set TESTCONTAINERS_RYUK_DISABLED=true: Testcontainers' reaper image"
                        + " cannot be pulled here and the harness removes its containers itself");
            }
            String base = System.getenv("WEFT_FAULTS_ENGINES");
            DockerEngine engine =
                    DockerEngine.start(base == null || base.isBlank() ? DockerEngine.DEFAULT_BASE : Path.of(base));
            try {
                String image = NodeImage.standard().ensureIn(engine);
                System.setProperty("DOCKER_HOST", engine.dockerHost());
                // dockerd 20.10 speaks API 1.41; without this Testcontainers tries 1.44, then falls back to 1.32.
                System.setProperty("api.version", "1.41");
                shared = new Testbed(engine, image);
                LOG.info("testbed ready: engine {}, image {}", engine.layout().id(), image);
            } catch (RuntimeException e) {
                engine.stop();
                throw e;
            }
        }
        return shared;
    }

    public DockerEngine engine() {
        return engine;
    }

    /** The node image tag in this engine. */
    public String image() {
        return image;
    }

    /**
     * A cluster spec for {@code nodes} nodes of this testbed, with the JDK this JVM runs on and
     * the checkout at {@code weftHome}.
     */
    public ClusterSpec spec(int nodes, Path weftHome) {
        Path jdk = Path.of(System.getProperty("java.home"));
        if (!Files.isRegularFile(weftHome.resolve("weft"))) {
            throw new IllegalArgumentException("not a Weft checkout (no ./weft launcher): " + weftHome);
        }
        // A fresh /24 and name prefix per cluster, so a cluster whose removal failed cannot block the next.
        int k = clusters.incrementAndGet();
        return new ClusterSpec(
                nodes, image, "10.77." + (k % 250), "c" + k + "-", jdk, weftHome, NodePrivileges.ofThisHost());
    }
}
