package org.postern.config;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operator's queue endpoint, {@code /actuator/queue} (see {@code docs/queue-endpoint.md}). Its
 * read operations (list, show) are always there once the endpoint is exposed; its write operations
 * change mail in flight and are refused (403) unless enabled here.
 *
 * @param writeEnabled allow flush, hold, release, delete and bounce
 */
public record QueueEndpointProperties(@DefaultValue("false") boolean writeEnabled) {
}
