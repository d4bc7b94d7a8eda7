/** Hostile input: smuggling, injection, oversized and malformed input, slow clients, guessing, relay tricks. */
package org.postern.security;
