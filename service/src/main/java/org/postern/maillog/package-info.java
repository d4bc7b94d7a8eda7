/** The mail log: one line per message event (received, sent, deferred, bounced, held, ...), as Postfix writes it. */
package org.postern.maillog;
