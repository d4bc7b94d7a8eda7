/** DNS for delivery: MX and address lookups through dnsjava, with null MX, implicit MX and a TTL cache. */
package org.postern.dns;
