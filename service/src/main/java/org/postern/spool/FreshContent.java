package org.postern.spool;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the content of each message committed by this process lies in its file, until its first
 * read: the delivery that follows the commit at once then opens the content without reading and
 * parsing the header again (the content's CRC is still checked as it is read). Bounded: past the
 * limit, messages are simply not remembered and their content is found by parsing, as after a restart.
 */
final class FreshContent {

    /** Start and length of a file's content, and its CRC32C as the trailer holds it. */
    record Location(long start, long length, int crc) {
    }

    /** Enough for every message in flight at once; a long backlog is parsed when its turn comes. */
    static final int LIMIT = 4096;

    private final Map<String, Location> locations = new ConcurrentHashMap<>();

    /** Remembers a committed message's content, unless the limit is reached. */
    void remember(String queueId, Location location) {
        if (locations.size() < LIMIT) {
            locations.put(queueId, location);
        }
    }

    /** The message's content location, once: null when it is not (or no longer) remembered. */
    Location take(String queueId) {
        return locations.remove(queueId);
    }

    void forget(String queueId) {
        locations.remove(queueId);
    }

    int size() {
        return locations.size();
    }
}
