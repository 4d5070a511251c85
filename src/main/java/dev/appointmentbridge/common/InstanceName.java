package dev.appointmentbridge.common;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This replica's name in attempt rows and logs: the host (the pod name on Kubernetes) and the process id. */
public final class InstanceName {

    private static final String NAME = host() + ":" + ProcessHandle.current().pid();

    private InstanceName() {
    }

    public static String get() {
        return NAME;
    }

    private static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
