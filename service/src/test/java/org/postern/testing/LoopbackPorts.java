package org.postern.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports for tests. */
public final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /** A TCP port on 127.0.0.1 that was free a moment ago: connecting to it is refused. */
    public static int unused() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
