/** Importing sendmail configurations (sendmail.cf and .mc) into Postern configuration. */
package org.postern.sendmailcf;
