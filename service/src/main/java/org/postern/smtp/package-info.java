/** Shared SMTP wire types: replies with enhanced status codes, addresses, the envelope and its DSN parameters. */
package org.postern.smtp;
