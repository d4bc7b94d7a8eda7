/** Who may relay: client networks, authentication, and limits per client. */
package org.postern.policy;
