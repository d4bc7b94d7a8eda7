/** Property records bound from {@code postern.*}: immutable, validated at startup, unknown keys rejected. */
package org.postern.config;
