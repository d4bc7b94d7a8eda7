package org.postern.ops;

import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.postern.queue.QueueControl;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * {@code /actuator/queue}: Postern's {@code mailq} and {@code postsuper} over HTTP, a thin face over
 * {@link QueueControl}. Reads are {@code GET}; changes are {@code POST} (flush, hold, release,
 * bounce) and {@code DELETE}, refused with 403 unless {@code postern.queue-endpoint.write-enabled}.
 * It has no authentication of its own: it is for the cluster's operators only and must never be
 * reachable from outside (see {@code docs/queue-endpoint.md}).
 */
@Endpoint(id = "queue")
public class QueueEndpoint {

    private final QueueControl control;
    private final boolean writeEnabled;

    public QueueEndpoint(QueueControl control, boolean writeEnabled) {
        this.control = control;
        this.writeEnabled = writeEnabled;
    }

    /** {@code GET /actuator/queue?state=&destination=&offset=&limit=}: one page of the queue. */
    @ReadOperation
    public WebEndpointResponse<Object> list(@Nullable String state, @Nullable String destination,
            @Nullable Integer offset, @Nullable Integer limit) {
        try {
            QueueControl.State s = state == null || state.isBlank() ? null : QueueControl.State.parse(state);
            return ok(control.list(s, destination == null || destination.isBlank() ? null : destination,
                    offset == null ? 0 : offset, limit == null ? QueueControl.DEFAULT_LIMIT : limit));
        } catch (IllegalArgumentException e) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, e.getMessage());
        } catch (QueueControl.Refused e) {
            return refused(e);
        } catch (IOException e) {
            return spoolError(e);
        }
    }

    /** {@code GET /actuator/queue/{id}}: one message. */
    @ReadOperation
    public WebEndpointResponse<Object> show(@Selector String id) {
        try {
            return control.show(id).<WebEndpointResponse<Object>>map(QueueEndpoint::ok)
                    .orElseGet(() -> error(WebEndpointResponse.STATUS_NOT_FOUND, "no message " + id + " in the queue"));
        } catch (IOException e) {
            return spoolError(e);
        }
    }

    /** {@code POST /actuator/queue} with {@code action=flush} and optionally {@code destination}. */
    @WriteOperation
    public WebEndpointResponse<Object> queueAction(String action, @Nullable String destination) {
        if (!writeEnabled) {
            return writeDisabled();
        }
        if (!"flush".equals(action)) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, "unknown action '" + action
                    + "' for the queue (flush); hold, release and bounce apply to one message: /actuator/queue/{id}");
        }
        try {
            return ok(control.flush(destination == null || destination.isBlank() ? null : destination));
        } catch (IOException e) {
            return spoolError(e);
        }
    }

    /** {@code POST /actuator/queue/{id}} with {@code action} = {@code flush}, {@code hold}, {@code release} or {@code bounce}. */
    @WriteOperation
    public WebEndpointResponse<Object> messageAction(@Selector String id, String action) {
        if (!writeEnabled) {
            return writeDisabled();
        }
        try {
            return ok(switch (action) {
                case "flush" -> control.flushMessage(id);
                case "hold" -> control.hold(id);
                case "release" -> control.release(id);
                case "bounce" -> control.bounce(id);
                default -> throw new IllegalArgumentException("unknown action '" + action
                        + "' (flush, hold, release, bounce; DELETE to delete)");
            });
        } catch (IllegalArgumentException e) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, e.getMessage());
        } catch (QueueControl.Refused e) {
            return refused(e);
        } catch (IOException e) {
            return spoolError(e);
        }
    }

    /** {@code DELETE /actuator/queue/{id}}: delete one message, no DSN. */
    @DeleteOperation
    public WebEndpointResponse<Object> delete(@Selector String id) {
        if (!writeEnabled) {
            return writeDisabled();
        }
        try {
            return ok(control.delete(id));
        } catch (QueueControl.Refused e) {
            return refused(e);
        } catch (IOException e) {
            return spoolError(e);
        }
    }

    private static WebEndpointResponse<Object> ok(Object body) {
        return new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_OK);
    }

    private static WebEndpointResponse<Object> refused(QueueControl.Refused e) {
        int status = switch (e.reason()) {
            case NO_SUCH_MESSAGE -> WebEndpointResponse.STATUS_NOT_FOUND;
            case BUSY -> 409;
            case BAD_REQUEST -> WebEndpointResponse.STATUS_BAD_REQUEST;
        };
        return error(status, e.getMessage());
    }

    private static WebEndpointResponse<Object> writeDisabled() {
        return error(403, "the queue endpoint's write operations are disabled; "
                + "set postern.queue-endpoint.write-enabled=true to allow them");
    }

    private static WebEndpointResponse<Object> spoolError(IOException e) {
        return error(WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR, "spool error: " + e.getMessage());
    }

    private static WebEndpointResponse<Object> error(int status, String message) {
        return new WebEndpointResponse<>(Map.of("status", status, "error", message), status);
    }
}
