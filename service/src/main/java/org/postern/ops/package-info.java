/** Operations: the Micrometer meters exposed at {@code /actuator/prometheus} (listed in docs/metrics.md). */
package org.postern.ops;
