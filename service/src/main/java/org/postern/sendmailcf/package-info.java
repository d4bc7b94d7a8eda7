/** The importer from a sendmail configuration ({@code sendmail.cf} or {@code .mc}) to Postern YAML with a report of what it does not map. */
package org.postern.sendmailcf;
