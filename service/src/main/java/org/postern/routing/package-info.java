/** Recipient to route: the mailertable, the smart host, MX by default, and the next hops a route resolves to. */
package org.postern.routing;
