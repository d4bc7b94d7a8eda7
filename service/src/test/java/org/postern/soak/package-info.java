/** The soak: steady load through the packaged relay, checking that heap, threads, descriptors and spool stay flat. */
package org.postern.soak;
