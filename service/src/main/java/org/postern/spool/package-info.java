/** The durable spool: one file per accepted message, group-committed with fsync, recovered and quarantined at start. */
package org.postern.spool;
