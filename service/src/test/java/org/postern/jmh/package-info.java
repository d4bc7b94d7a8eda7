/** JMH micro-benchmarks of the hot paths (command parsing, DATA reading, header rules, spool commit); run by bench/jmh.sh. */
package org.postern.jmh;
