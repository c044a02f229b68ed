{{/*
One pgfleet role (worker or dispatcher): its ConfigMap, Secret, Deployment, metrics Service and
ServiceMonitor. Arguments: root (the chart's context), role, values (that role's values), config
(its config file with the ports and grace filled in), grace (terminationGracePeriodSeconds),
ports (extra named container ports besides metrics).
*/}}
{{- define "pgfleet.component" -}}
{{- $name := printf "%s-%s" .root.Release.Name .role -}}
{{- $labels := dict "app.kubernetes.io/name" (printf "pgfleet-%s" .role) "app.kubernetes.io/instance" .root.Release.Name "app.kubernetes.io/part-of" "pgfleet" -}}
{{- $selector := dict "app.kubernetes.io/name" (printf "pgfleet-%s" .role) "app.kubernetes.io/instance" .root.Release.Name -}}
{{- $secret := .values.existingSecret | default $name -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ $name }}
  labels: {{- toYaml $labels | nindent 4 }}
data:
  {{ .role }}.yaml: |
    {{- toYaml .config | nindent 4 }}
{{- if and (not .values.existingSecret) .values.secretEnv }}
---
apiVersion: v1
kind: Secret
metadata:
  name: {{ $name }}
  labels: {{- toYaml $labels | nindent 4 }}
type: Opaque
stringData: {{- toYaml .values.secretEnv | nindent 2 }}
{{- end }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels: {{- toYaml $labels | nindent 4 }}
spec:
  replicas: {{ .values.replicas }}
  selector:
    matchLabels: {{- toYaml $selector | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 0, maxSurge: 1}
  template:
    metadata:
      labels: {{- toYaml $labels | nindent 8 }}
      annotations:
        checksum/config: {{ toYaml .config | sha256sum }}
    spec:
      terminationGracePeriodSeconds: {{ .grace }}
      securityContext: {runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001}
      containers:
        - name: {{ .role }}
          image: "{{ .root.Values.image.repository }}:{{ .root.Values.image.tag }}"
          imagePullPolicy: {{ .root.Values.image.pullPolicy }}
          args: [{{ .role | quote }}, "--config", "/etc/pgfleet/{{ .role }}.yaml"]
          env:
            - name: PGFLEET_{{ upper .role }}_ID
              valueFrom: {fieldRef: {fieldPath: metadata.name}}
            - name: PGFLEET_LOG_FORMAT
              value: {{ .root.Values.logFormat | quote }}
          envFrom:
            - secretRef: {name: {{ $secret }}}
          ports:
            - {name: metrics, containerPort: {{ .values.metricsPort }}}
            {{- range $portName, $port := .ports }}
            - {name: {{ $portName }}, containerPort: {{ $port }}}
            {{- end }}
          startupProbe:
            httpGet: {path: /health/live, port: metrics}
            periodSeconds: 5
            failureThreshold: 24
          livenessProbe:
            httpGet: {path: /health/live, port: metrics}
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet: {path: /health/ready, port: metrics}
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 2
          resources: {{- toYaml .values.resources | nindent 12 }}
          volumeMounts:
            - {name: config, mountPath: /etc/pgfleet, readOnly: true}
            - {name: tmp, mountPath: /tmp}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
      volumes:
        - name: config
          configMap: {name: {{ $name }}}
        - name: tmp
          emptyDir: {}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels: {{- toYaml $labels | nindent 4 }}
spec:
  selector: {{- toYaml $selector | nindent 4 }}
  ports:
    - {name: metrics, port: {{ .values.metricsPort }}, targetPort: metrics}
    {{- range $portName, $port := .ports }}
    - {name: {{ $portName }}, port: {{ $port }}, targetPort: {{ $portName }}}
    {{- end }}
{{- if .root.Values.serviceMonitor.enabled }}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ $name }}
  labels: {{- toYaml $labels | nindent 4 }}
spec:
  selector:
    matchLabels: {{- toYaml $selector | nindent 6 }}
  endpoints:
    - port: metrics
      path: /metrics
      interval: {{ .root.Values.serviceMonitor.interval }}
{{- end }}
{{- end -}}
