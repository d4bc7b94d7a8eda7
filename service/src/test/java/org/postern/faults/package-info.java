/** Upstream faults: a next hop that is down, a tarpit, a resolver that is down or failing. */
package org.postern.faults;
