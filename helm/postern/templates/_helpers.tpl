{{/*
Names and labels shared by every template of the chart.
*/}}

{{/* Chart name, overridable with nameOverride. */}}
{{- define "postern.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name: the release name, plus the chart name unless the release name already
contains it. Truncated to 63 characters (the DNS label limit).
*/}}
{{- define "postern.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The headless Service that governs the StatefulSet (stable pod DNS names). */}}
{{- define "postern.headlessName" -}}
{{- printf "%s-headless" (include "postern.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "postern.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "postern.selectorLabels" -}}
app.kubernetes.io/name: {{ include "postern.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "postern.labels" -}}
helm.sh/chart: {{ include "postern.chart" . }}
{{ include "postern.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "postern.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The ServiceAccount the pods run as. */}}
{{- define "postern.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "postern.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding the smart host's AUTH password: the user's own, or the chart's. */}}
{{- define "postern.smartHostSecretName" -}}
{{- default (printf "%s-smarthost" (include "postern.fullname" .)) .Values.smartHost.existingSecret }}
{{- end }}

{{/* The Secret holding the SMTP AUTH users (key: user name, value: password hash). */}}
{{- define "postern.authUsersSecretName" -}}
{{- default (printf "%s-auth-users" (include "postern.fullname" .)) .Values.auth.existingSecret }}
{{- end }}

{{/* "true" when the smart host needs AUTH credentials, else empty. */}}
{{- define "postern.smartHostAuth" -}}
{{- if and .Values.smartHost.host .Values.smartHost.username }}true{{ end }}
{{- end }}

{{/* "true" when SMTP AUTH users come from a Secret, else empty. */}}
{{- define "postern.authUsers" -}}
{{- if or .Values.auth.existingSecret .Values.auth.users }}true{{ end }}
{{- end }}

{{/*
Where a stopping replica hands over its queue: "auto" is the SMTP Service, whose endpoints are the
other ready replicas (a draining pod is not ready), as long as more than one replica can run.
*/}}
{{- define "postern.drainHandoff" -}}
{{- $h := toString .Values.drain.handoff }}
{{- if eq $h "auto" }}
{{- if or .Values.autoscaling.enabled (gt (int .Values.replicaCount) 1) }}
{{- printf "%s.%s.svc.%s:%d" (include "postern.fullname" .) .Release.Namespace .Values.clusterDomain (int .Values.smtp.servicePort) }}
{{- end }}
{{- else if ne $h "none" }}
{{- $h }}
{{- end }}
{{- end }}

{{/*
The application.yaml the ConfigMap carries: what the chart derives from its values (listener,
spool, drain, smart host, TLS files, AUTH users), overlaid by .Values.postern and .Values.extraConfig,
which win key by key (a list replaces the chart's whole list).
*/}}
{{- define "postern.applicationConfig" -}}
{{- $any := ternary "::" "0.0.0.0" (eq .Values.smtp.family "inet6") }}
{{- $postern := dict
      "daemon-ports" (list (dict "name" "MTA" "addr" $any "port" (int .Values.smtp.containerPort) "family" .Values.smtp.family))
      "spool" (dict "directory" .Values.persistence.mountPath)
      "drain" (dict "timeout" (printf "%ds" (int .Values.drain.timeoutSeconds))) }}
{{- with (include "postern.drainHandoff" .) }}
{{- $_ := set $postern.drain "handoff" . }}
{{- end }}
{{- with .Values.smartHost.host }}
{{- $hop := ternary (printf "%s:%d" . (int $.Values.smartHost.port)) (printf "[%s]:%d" . (int $.Values.smartHost.port)) $.Values.smartHost.mx }}
{{- if $.Values.smartHost.mailer }}
{{- $hop = printf "%s:%s" $.Values.smartHost.mailer $hop }}
{{- end }}
{{- $routing := dict "smart-host" $hop }}
{{- if $.Values.smartHost.username }}
{{- $_ := set $routing "auth" (dict (printf "[%s]" .) (dict "username" $.Values.smartHost.username "password-file" "/etc/postern/secrets/smarthost/password")) }}
{{- end }}
{{- $_ := set $postern "routing" $routing }}
{{- end }}
{{- if .Values.tls.existingSecret }}
{{- $_ := set $postern "tls" (dict "certificate" "file:/etc/postern/tls/tls.crt" "private-key" "file:/etc/postern/tls/tls.key") }}
{{- end }}
{{- $postern = mustMergeOverwrite $postern (deepCopy (default (dict) .Values.postern)) }}
{{- $config := dict
      "postern" $postern
      "server" (dict "address" $any "port" (int .Values.management.port)) }}
{{- if (include "postern.authUsers" .) }}
{{- $_ := set $config "spring" (dict "config" (dict "import" (list "optional:configtree:/etc/postern/configtree/"))) }}
{{- end }}
{{- $config = mustMergeOverwrite $config (deepCopy (default (dict) .Values.extraConfig)) }}
{{- toYaml $config }}
{{- end }}
