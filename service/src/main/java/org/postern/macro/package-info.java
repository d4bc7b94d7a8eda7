/** sendmail macro expansion: {@code $x}, {@code ${name}}, {@code $?x … $| … $.}, the documented macro set and where each is known. */
package org.postern.macro;
