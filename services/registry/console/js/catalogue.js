// Choices the forms offer (domains, kinds, metrics, states), read from the registry's OpenAPI
// document, which is generated from the contracts' zod schemas: the console never keeps its own
// copy of the metric catalogue. When the document cannot be read, the forms fall back to text.
import { api, paths } from './api.js';

/** @typedef {{ domains: string[], kinds: string[], metrics: string[], states: string[], meterRoles: string[] }} Catalogue */

/** @type {Promise<Catalogue> | null} */
let loading = null;

/** @returns {Promise<Catalogue>} */
export function loadCatalogue() {
  loading ??= api('GET', paths.openapi)
    .then((doc) => catalogueOf(doc))
    .catch(() => ({ domains: [], kinds: [], metrics: [], states: [], meterRoles: [] }));
  return loading;
}

/**
 * Finds the device record schema (the object with deviceId, kind, domain and metrics) and reads
 * the enums of its properties, following local $refs.
 * @param {any} doc
 * @returns {Catalogue}
 */
export function catalogueOf(doc) {
  const resolve = (schema, depth = 0) => {
    if (!schema || typeof schema !== 'object' || depth > 10) return schema;
    if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#/')) {
      const target = schema.$ref
        .slice(2)
        .split('/')
        .reduce((node, key) => node?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], doc);
      return resolve(target, depth + 1);
    }
    return schema;
  };
  const enumOf = (schema) => {
    const s = resolve(schema);
    if (!s || typeof s !== 'object') return [];
    if (Array.isArray(s.enum)) return s.enum.filter((v) => typeof v === 'string');
    for (const key of ['anyOf', 'oneOf', 'allOf']) {
      if (Array.isArray(s[key])) {
        const values = s[key].flatMap((sub) => {
          const r = resolve(sub);
          return typeof r?.const === 'string' ? [r.const] : enumOf(r);
        });
        if (values.length > 0) return values;
      }
    }
    return [];
  };
  /** @type {any} */
  let record = null;
  const seen = new Set();
  const visit = (node) => {
    if (record || !node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const props = node.properties;
    if (props?.deviceId && props.kind && props.domain && props.metrics) {
      record = props;
      return;
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(doc);
  if (!record) return { domains: [], kinds: [], metrics: [], states: [], meterRoles: [] };
  return {
    domains: enumOf(record.domain),
    kinds: enumOf(record.kind),
    metrics: enumOf(resolve(record.metrics)?.items),
    states: record.state ? enumOf(record.state) : [],
    meterRoles: record.meterRole ? enumOf(record.meterRole) : [],
  };
}
