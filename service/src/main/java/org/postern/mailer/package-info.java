/** Mailer definitions (sendmail {@code M} lines): the flags and fields that shape delivery to a next hop. */
package org.postern.mailer;
