/** The SMTP server: listeners (one per DaemonPortOptions entry), sessions, one class per command, TLS and AUTH. */
package org.postern.smtp.server;
