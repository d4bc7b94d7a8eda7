/** Tests of the deployment files: Dockerfile, Helm chart, kustomize manifests, dashboard and alerts. */
package org.postern.deploy;
