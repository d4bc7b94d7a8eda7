package org.postern.header;

/** What the header checks decided about a message. */
public sealed interface HeaderVerdict {

    /** Every header passed. */
    record Accept() implements HeaderVerdict {
    }

    /** Refuse the message: {@code 550 5.7.1 text}. */
    record Reject(String ruleset, String header, String text) implements HeaderVerdict {
    }

    /** Accept the message with 250 and drop it (sendmail's discard). */
    record Discard(String ruleset, String header) implements HeaderVerdict {
    }

    /** The header block is larger than can be checked (sendmail's MaxHeadersLength): refuse it. */
    record TooLarge(int limit) implements HeaderVerdict {
    }

    HeaderVerdict ACCEPT = new Accept();
}
