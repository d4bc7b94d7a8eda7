/** Address rewriting at delivery (sendmail's mailer {@code S=} and {@code R=}): masquerading, genericstable, domaintable. */
package org.postern.rewriting;
