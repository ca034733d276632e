package dev.weft.router.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** The version printed by {@code weft --version}, stamped into the jar by the build. */
public final class WeftVersion implements CommandLine.IVersionProvider {

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        Properties props = new Properties();
        try (InputStream in = WeftVersion.class.getResourceAsStream("/weft-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("weft-version.properties is missing from the classpath");
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read weft-version.properties", e);
        }
        return props.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "weft " + version(),
            "JVM: " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
            "OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                    + System.getProperty("os.arch")
        };
    }
}
