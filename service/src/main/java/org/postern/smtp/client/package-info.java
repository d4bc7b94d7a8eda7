/** The outbound ESMTP client: one blocking session per virtual thread, STARTTLS policy, AUTH, pipelining. */
package org.postern.smtp.client;
