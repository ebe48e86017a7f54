package org.l1net.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The l1net version, from the build. */
public final class Versions {
    private Versions() {
    }

    public static String l1net() {
        try (InputStream in = Versions.class.getResourceAsStream("/org/l1net/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
