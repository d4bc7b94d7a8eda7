/** Header rules (sendmail {@code H} lines): conditions, macro templates, delivery-time insertion and header checks at DATA. */
package org.postern.header;
