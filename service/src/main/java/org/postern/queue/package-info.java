/** Scheduling: per-destination queues, the retry schedule, expiry, bounces and delay notices. */
package org.postern.queue;
