/** Runtime configuration: the refreshable snapshot built from {@code postern.*}, and its all-or-nothing swap on {@code /actuator/refresh}. */
package org.postern.config.refresh;
