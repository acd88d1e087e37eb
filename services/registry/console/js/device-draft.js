// The device draft the onboarding form sends: form values -> the API's DeviceDraft shape.
// Empty fields are left out (optional in the contract); values the browser cannot read as numbers
// are sent as typed so the API's field error explains what is wrong with them.

/** @param {FormDataEntryValue | null} value */
function text(value) {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** @param {FormDataEntryValue | null} value */
function number(value) {
  const t = text(value);
  if (t === undefined) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

/** Drops undefined members so the JSON body only has the fields the operator filled. */
function compact(obj) {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

/**
 * @param {FormData} data
 * @returns {Record<string, unknown>}
 */
export function deviceDraftOf(data) {
  const metrics = data
    .getAll('metrics')
    .flatMap((v) => (typeof v === 'string' ? v.split(/[|,\s]+/) : []))
    .filter((v) => v !== '');
  const lat = number(data.get('lat'));
  const lon = number(data.get('lon'));
  const externalIds = compact({
    devEui: text(data.get('devEui')),
    serialNumber: text(data.get('serialNumber')),
    meterPointId: text(data.get('meterPointId')),
  });
  return compact({
    deviceId: text(data.get('deviceId')),
    tenant: text(data.get('tenant')),
    site: text(data.get('site')),
    siteName: text(data.get('siteName')),
    domain: text(data.get('domain')),
    kind: text(data.get('kind')),
    model: text(data.get('model')),
    metrics,
    expectedIntervalS: number(data.get('expectedIntervalS')),
    installedAt: text(data.get('installedAt')),
    // Both or neither: one alone is sent as is, and the API says which one is missing.
    location: lat === undefined && lon === undefined ? undefined : { lat, lon },
    externalIds: Object.keys(externalIds).length > 0 ? externalIds : undefined,
    meterRole: text(data.get('meterRole')),
    floorAreaM2: number(data.get('floorAreaM2')),
    timezone: text(data.get('timezone')),
  });
}
