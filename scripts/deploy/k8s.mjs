#!/usr/bin/env node
// Offline tooling for deploy/k8s (no cluster, no kustomize binary):
//
//   node scripts/deploy/k8s.mjs render <kustomization dir>      rendered objects as a JSON array on stdout
//   node scripts/deploy/k8s.mjs validate [<kustomization dir>]  renders (or reads a JSON array of objects on stdin)
//                                                              and validates every object; prints {"errors":[...]}
//                                                              and exits 1 when there are any
//
// Rendering implements the subset of kustomize that deploy/k8s uses, and refuses anything else so that a
// kustomization never silently renders differently here than with `kubectl apply -k`:
//   resources (files and directories), namespace, images (name -> newName/newTag/digest),
//   patches: strategic-merge patches from `path` or `patch` (matched by their own kind/name, or by `target`)
//   and JSON 6902 patches (add/replace/remove) with a `target` (kind, group, version, name, labelSelector k=v[,k=v]).
// Validation: core/apps/policy/autoscaling objects against the Kubernetes OpenAPI schemas compiled into the
// npm package kubernetes-models; the operator CRDs (RabbitmqCluster, CloudNativePG Cluster, redis-operator
// Redis) against the required fields and shapes written out below.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";

const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
const SUPPORTED_KEYS = new Set(["apiVersion", "kind", "resources", "namespace", "images", "patches"]);
const CLUSTER_SCOPED = new Set([
  "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume",
  "StorageClass", "PriorityClass", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
]);

class RenderError extends Error {}

function readYamlDocs(file) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, "utf8"));
  const out = [];
  for (const doc of docs) {
    if (doc.errors.length) throw new RenderError(`${file}: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

function findKustomization(dir) {
  for (const name of KUSTOMIZATION_FILES) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return file;
  }
  throw new RenderError(`${dir}: no kustomization.yaml`);
}

function group(apiVersion) {
  return apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
}

function version(apiVersion) {
  return apiVersion.includes("/") ? apiVersion.split("/")[1] : apiVersion;
}

function id(obj) {
  return `${obj.apiVersion}/${obj.kind}/${obj.metadata?.namespace ?? ""}/${obj.metadata?.name}`;
}

export function render(dir) {
  const file = findKustomization(dir);
  const [k] = readYamlDocs(file);
  for (const key of Object.keys(k)) {
    if (!SUPPORTED_KEYS.has(key)) throw new RenderError(`${file}: '${key}' is not in the kustomize subset scripts/deploy/k8s.mjs renders`);
  }
  let objects = [];
  for (const entry of k.resources ?? []) {
    const target = path.resolve(dir, entry);
    if (!fs.existsSync(target)) throw new RenderError(`${file}: resource ${entry} does not exist`);
    objects.push(...(fs.statSync(target).isDirectory() ? render(target) : readYamlDocs(target)));
  }
  const seen = new Set();
  for (const obj of objects) {
    if (!obj.apiVersion || !obj.kind || !obj.metadata?.name) throw new RenderError(`${file}: an object without apiVersion, kind or metadata.name`);
    if (seen.has(id(obj))) throw new RenderError(`${file}: ${id(obj)} is defined twice`);
    seen.add(id(obj));
  }
  for (const patch of k.patches ?? []) applyPatch(objects, patch, dir, file);
  if (k.namespace) {
    for (const obj of objects) if (!CLUSTER_SCOPED.has(obj.kind)) obj.metadata.namespace = k.namespace;
  }
  for (const image of k.images ?? []) applyImage(objects, image, file);
  return objects;
}

// ---- patches ----

function matchesTarget(obj, target) {
  if (target.kind && obj.kind !== target.kind) return false;
  if (target.group !== undefined && group(obj.apiVersion) !== target.group) return false;
  if (target.version && version(obj.apiVersion) !== target.version) return false;
  if (target.name && !new RegExp(`^(?:${target.name})$`).test(obj.metadata.name)) return false;
  if (target.namespace && (obj.metadata.namespace ?? "") !== target.namespace) return false;
  if (target.labelSelector) {
    const labels = obj.metadata.labels ?? {};
    for (const term of target.labelSelector.split(",")) {
      const [key, value] = term.split("=").map((s) => s.trim());
      if (value === undefined) throw new RenderError(`labelSelector '${target.labelSelector}': only k=v terms are supported`);
      if (labels[key] !== value) return false;
    }
  }
  if (target.annotationSelector) throw new RenderError("annotationSelector is not supported");
  return true;
}

function applyPatch(objects, patch, dir, file) {
  const text = patch.path ? fs.readFileSync(path.resolve(dir, patch.path), "utf8") : patch.patch;
  if (typeof text !== "string") throw new RenderError(`${file}: a patch needs 'path' or 'patch'`);
  const docs = YAML.parseAllDocuments(text).map((d) => d.toJS()).filter((d) => d != null);
  const where = patch.path ?? "inline patch";
  if (docs.length === 1 && Array.isArray(docs[0])) {
    if (!patch.target) throw new RenderError(`${file}: JSON 6902 ${where} needs a target`);
    const targets = objects.filter((o) => matchesTarget(o, patch.target));
    if (targets.length === 0) throw new RenderError(`${file}: ${where} matches no object (${JSON.stringify(patch.target)})`);
    for (const obj of targets) for (const op of docs[0]) applyJsonOp(obj, op, where);
    return;
  }
  for (const smp of docs) {
    const targets = patch.target
      ? objects.filter((o) => matchesTarget(o, patch.target))
      : objects.filter((o) => o.kind === smp.kind && o.metadata.name === smp.metadata?.name
          && group(o.apiVersion) === group(smp.apiVersion ?? ""));
    if (targets.length === 0) throw new RenderError(`${file}: ${where} matches no object (${smp.kind}/${smp.metadata?.name})`);
    for (const obj of targets) {
      const merged = strategicMerge(obj, { ...smp, metadata: { ...smp.metadata, name: obj.metadata.name } });
      Object.keys(obj).forEach((key) => delete obj[key]);
      Object.assign(obj, merged);
    }
  }
}

// Lists of objects that carry one of these keys are merged element by element (the strategic-merge keys of
// the core types used here: containers, env, ports, volumes, volumeMounts); other lists are replaced.
const MERGE_KEYS = ["name", "mountPath", "containerPort"];

function strategicMerge(base, patch) {
  if (patch === null) return undefined;
  if (Array.isArray(patch)) {
    if (!Array.isArray(base)) return structuredClone(patch);
    const key = MERGE_KEYS.find((k) => patch.every((p) => p && typeof p === "object" && k in p)
      && base.every((b) => b && typeof b === "object" && k in b));
    if (!key) return structuredClone(patch);
    const out = base.map((b) => structuredClone(b));
    for (const p of patch) {
      const i = out.findIndex((b) => b[key] === p[key]);
      if (i >= 0) out[i] = strategicMerge(out[i], p);
      else out.push(structuredClone(p));
    }
    return out;
  }
  if (typeof patch === "object") {
    if ("$patch" in patch) throw new RenderError("$patch directives are not supported");
    const out = base && typeof base === "object" && !Array.isArray(base) ? structuredClone(base) : {};
    for (const [key, value] of Object.entries(patch)) {
      const merged = strategicMerge(out[key], value);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    }
    return out;
  }
  return patch;
}

function applyJsonOp(obj, op, where) {
  const parts = op.path.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  const last = parts.pop();
  let parent = obj;
  for (const part of parts) {
    parent = Array.isArray(parent) ? parent[Number(part)] : parent?.[part];
    if (parent === undefined) throw new RenderError(`${where}: ${op.op} ${op.path}: no such path in ${id(obj)}`);
  }
  const exists = Array.isArray(parent) ? last === "-" || Number(last) < parent.length : last in parent;
  switch (op.op) {
    case "add":
      if (Array.isArray(parent)) parent.splice(last === "-" ? parent.length : Number(last), 0, structuredClone(op.value));
      else parent[last] = structuredClone(op.value);
      break;
    case "replace":
      if (!exists) throw new RenderError(`${where}: replace ${op.path}: no such path in ${id(obj)}`);
      parent[Array.isArray(parent) ? Number(last) : last] = structuredClone(op.value);
      break;
    case "remove":
      if (!exists) throw new RenderError(`${where}: remove ${op.path}: no such path in ${id(obj)}`);
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
      break;
    default:
      throw new RenderError(`${where}: JSON patch op '${op.op}' is not supported`);
  }
}

// ---- images ----

function splitImage(image) {
  const at = image.indexOf("@");
  if (at >= 0) return { name: image.slice(0, at), tag: undefined, digest: image.slice(at + 1) };
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  if (colon > slash) return { name: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { name: image };
}

function applyImage(objects, image, file) {
  if (!image.name) throw new RenderError(`${file}: an images entry without name`);
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if ((key === "containers" || key === "initContainers") && Array.isArray(value)) {
        for (const container of value) {
          if (typeof container?.image !== "string") continue;
          const current = splitImage(container.image);
          if (current.name !== image.name) continue;
          const name = image.newName ?? current.name;
          if (image.digest) container.image = `${name}@${image.digest}`;
          else if (image.newTag) container.image = `${name}:${image.newTag}`;
          else container.image = current.digest ? `${name}@${current.digest}` : current.tag ? `${name}:${current.tag}` : name;
        }
      } else visit(value);
    }
  };
  visit(objects);
}

// ---- validation ----

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[mkMGTPE]|[eE][+-]?\d+)?$/;
const NAME_MUST_BE_LABEL = new Set(["Service", "Namespace"]);

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isQuantity = (v) => typeof v === "number" || (typeof v === "string" && QUANTITY.test(v));

function checkResources(errors, where, resources) {
  if (resources === undefined) return;
  if (!isObject(resources)) return errors.push(`${where} must be an object`);
  for (const part of ["requests", "limits"]) {
    if (resources[part] === undefined) continue;
    if (!isObject(resources[part])) { errors.push(`${where}.${part} must be an object`); continue; }
    for (const [k, v] of Object.entries(resources[part])) if (!isQuantity(v)) errors.push(`${where}.${part}.${k}: '${v}' is not a quantity`);
  }
}

function onlyKeys(errors, where, value, allowed) {
  for (const key of Object.keys(value ?? {})) if (!allowed.includes(key)) errors.push(`${where}: unknown field '${key}'`);
}

// Required fields and shapes of the operator resources used here, from each operator's CRD.
const CRD_VALIDATORS = {
  "rabbitmq.com/v1beta1/RabbitmqCluster"(obj, errors) {
    const spec = obj.spec ?? {};
    onlyKeys(errors, "spec", spec, ["replicas", "image", "imagePullSecrets", "service", "persistence", "resources",
      "affinity", "tolerations", "rabbitmq", "tls", "override", "skipPostDeploySteps", "terminationGracePeriodSeconds",
      "delayStartSeconds", "secretBackend", "autoEnableAllFeatureFlags"]);
    if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || spec.replicas < 0)) errors.push("spec.replicas must be a non-negative integer");
    if (spec.image !== undefined && typeof spec.image !== "string") errors.push("spec.image must be a string");
    checkResources(errors, "spec.resources", spec.resources);
    if (spec.persistence !== undefined) {
      onlyKeys(errors, "spec.persistence", spec.persistence, ["storage", "storageClassName"]);
      if (spec.persistence.storage !== undefined && !isQuantity(spec.persistence.storage)) errors.push("spec.persistence.storage is not a quantity");
    }
    if (spec.rabbitmq !== undefined) {
      onlyKeys(errors, "spec.rabbitmq", spec.rabbitmq, ["additionalConfig", "advancedConfig", "envConfig", "additionalPlugins", "erlangInetConfig"]);
      for (const key of ["additionalConfig", "advancedConfig", "envConfig", "erlangInetConfig"]) {
        if (spec.rabbitmq[key] !== undefined && typeof spec.rabbitmq[key] !== "string") errors.push(`spec.rabbitmq.${key} must be a string`);
      }
      if (typeof spec.rabbitmq.additionalConfig === "string" && spec.rabbitmq.additionalConfig.length > 2000) errors.push("spec.rabbitmq.additionalConfig is longer than 2000 characters");
    }
  },
  "postgresql.cnpg.io/v1/Cluster"(obj, errors) {
    const spec = obj.spec;
    if (!isObject(spec)) return errors.push("spec is required");
    if (!Number.isInteger(spec.instances) || spec.instances < 1) errors.push("spec.instances is required and must be an integer >= 1");
    if (!isObject(spec.storage) || !isQuantity(spec.storage.size)) errors.push("spec.storage.size is required and must be a quantity");
    if (spec.imageName !== undefined && typeof spec.imageName !== "string") errors.push("spec.imageName must be a string");
    if (spec.primaryUpdateStrategy !== undefined && !["supervised", "unsupervised"].includes(spec.primaryUpdateStrategy)) errors.push("spec.primaryUpdateStrategy must be supervised or unsupervised");
    for (const key of ["minSyncReplicas", "maxSyncReplicas"]) {
      if (spec[key] !== undefined && (!Number.isInteger(spec[key]) || spec[key] < 0)) errors.push(`spec.${key} must be a non-negative integer`);
    }
    if ((spec.maxSyncReplicas ?? 0) >= spec.instances) errors.push("spec.maxSyncReplicas must be lower than spec.instances");
    if ((spec.minSyncReplicas ?? 0) > (spec.maxSyncReplicas ?? 0)) errors.push("spec.minSyncReplicas must not exceed spec.maxSyncReplicas");
    const initdb = spec.bootstrap?.initdb;
    if (spec.bootstrap !== undefined) onlyKeys(errors, "spec.bootstrap", spec.bootstrap, ["initdb", "recovery", "pg_basebackup"]);
    if (initdb !== undefined) {
      if (typeof initdb.database !== "string" || typeof initdb.owner !== "string") errors.push("spec.bootstrap.initdb needs database and owner");
    }
    checkResources(errors, "spec.resources", spec.resources);
  },
  "redis.redis.opstreelabs.in/v1beta2/Redis"(obj, errors) {
    const spec = obj.spec;
    if (!isObject(spec)) return errors.push("spec is required");
    const kc = spec.kubernetesConfig;
    if (!isObject(kc) || typeof kc.image !== "string" || !kc.image) errors.push("spec.kubernetesConfig.image is required");
    else {
      checkResources(errors, "spec.kubernetesConfig.resources", kc.resources);
      if (kc.redisSecret !== undefined && (typeof kc.redisSecret.name !== "string" || typeof kc.redisSecret.key !== "string")) errors.push("spec.kubernetesConfig.redisSecret needs name and key");
    }
  },
};

async function modelFor(obj) {
  const g = group(obj.apiVersion);
  const modulePath = `kubernetes-models/${g ? `${g}/` : ""}${version(obj.apiVersion)}/${obj.kind}`;
  try {
    const module = await import(modulePath);
    return module[obj.kind];
  } catch {
    return undefined;
  }
}

export async function validate(objects) {
  const errors = [];
  for (const obj of objects) {
    const where = `${obj?.kind}/${obj?.metadata?.name}`;
    const local = [];
    if (typeof obj?.apiVersion !== "string" || typeof obj?.kind !== "string") { errors.push(`${where}: apiVersion and kind are required`); continue; }
    const name = obj.metadata?.name;
    if (typeof name !== "string" || !(NAME_MUST_BE_LABEL.has(obj.kind) ? DNS1123_LABEL : DNS1123_SUBDOMAIN).test(name) || name.length > 253) local.push(`metadata.name '${name}' is not a valid name`);
    const crd = CRD_VALIDATORS[`${obj.apiVersion}/${obj.kind}`];
    if (crd) crd(obj, local);
    else {
      const Model = await modelFor(obj);
      if (!Model) local.push(`no schema for ${obj.apiVersion} ${obj.kind}`);
      else {
        try {
          new Model(obj).validate();
        } catch (e) {
          local.push(String(e.message ?? e));
        }
      }
    }
    errors.push(...local.map((e) => `${where}: ${e}`));
  }
  return errors;
}

async function main() {
  const [command, dir] = process.argv.slice(2);
  try {
    if (command === "render" && dir) {
      process.stdout.write(JSON.stringify(render(dir), null, 1));
      return;
    }
    if (command === "validate") {
      const objects = dir ? render(dir) : JSON.parse(fs.readFileSync(0, "utf8"));
      const errors = await validate(objects);
      process.stdout.write(JSON.stringify({ objects: objects.length, errors }, null, 1));
      process.exitCode = errors.length ? 1 : 0;
      return;
    }
    process.stderr.write("usage: k8s.mjs render <dir> | validate [<dir>]\n");
    process.exitCode = 2;
  } catch (e) {
    if (!(e instanceof RenderError)) throw e;
    process.stderr.write(`render: ${e.message}\n`);
    process.exitCode = 3;
  }
}

await main();
