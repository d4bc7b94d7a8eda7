/** Jazzer fuzz tests of the parsers that read untrusted or hand-written input (docs/fuzzing.md). */
package org.postern.fuzz;
