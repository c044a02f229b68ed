// Validates Kubernetes manifests against the API schemas bundled in kubernetes-models.
import fs from 'fs';
import * as yaml from 'js-yaml';
const core = await import('kubernetes-models/v1');
const apps = await import('kubernetes-models/apps/v1');
const mon = await import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1');
const kinds = {
  'v1/ConfigMap': core.ConfigMap, 'v1/Secret': core.Secret, 'v1/Service': core.Service,
  'apps/v1/Deployment': apps.Deployment, 'monitoring.coreos.com/v1/ServiceMonitor': mon.ServiceMonitor,
};
let failed = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(fs.readFileSync(file, 'utf8'))) {
    const key = doc.apiVersion + '/' + doc.kind;
    const Model = kinds[key];
    if (!Model) { console.log(`${file}: ${key} has no schema here`); failed++; continue; }
    try { new Model(doc).validate(); console.log(`${file}: ${key} ${doc.metadata.name} valid`); }
    catch (e) { console.log(`${file}: ${key} ${doc.metadata.name} INVALID: ${e.message}`); failed++; }
  }
}
process.exit(failed ? 1 : 0);
