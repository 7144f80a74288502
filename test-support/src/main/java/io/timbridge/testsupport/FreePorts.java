package io.timbridge.testsupport;

import java.io.IOException;
import java.net.ServerSocket;

/** Loopback ports for the servers a test starts (the bridge's HTTP and management servers, the sandbox). */
public final class FreePorts {

    private FreePorts() {
    }

    /** A port nothing listens on right now: the system picks it, the socket is closed again. */
    public static int next() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
