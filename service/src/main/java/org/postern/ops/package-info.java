/** Operations: the Micrometer meters exposed at {@code /actuator/prometheus} (listed in docs/metrics.md) and health indicators. */
package org.postern.ops;
