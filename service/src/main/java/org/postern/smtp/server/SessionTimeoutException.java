package org.postern.smtp.server;

import java.io.IOException;

/** The client sent nothing for the idle timeout, or one command outlasted the command timeout. */
final class SessionTimeoutException extends IOException {
    SessionTimeoutException(String what) {
        super(what, null);
    }
}
