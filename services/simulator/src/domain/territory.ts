import { DeviceId, DeviceRecord, deviceKindDomain } from '@terrapulse/contracts';
import { hashText, seededRandom } from './hash.js';
import {
  BUILDING_KINDS,
  type DeviceTemplate,
  SITE_EQUIPMENT,
  SITE_NAMES,
  type SiteKind,
  sitesOfRound,
  TENANTS,
  type TenantSpec,
} from './site-catalogue.js';
import { buildDeviceProfile, type SiteTraits, siteTraits } from './site-profiles.js';
import type { SimDevice } from './types.js';

export interface TerritoryOptions {
  /** Seed of every random choice (sizes, names, places); same seed, same territory. @default 'terrapulse-demo' */
  readonly seed?: string;
  /** Registered devices. @default 360 */
  readonly devices?: number;
  /** Prepended to every device id, so a test fleet never collides with another. @default '' */
  readonly prefix?: string;
  /** Devices that get MQTT credentials but no registry record (UNKNOWN_DEVICE fault). @default 0 */
  readonly unknownDevices?: number;
  /** Time zone of every site. @default 'Europe/Paris' */
  readonly timezone?: string;
  /** Water sectors with a leak, which raises their night minimum flow. @default 1 */
  readonly leakingSectors?: number;
  /** When those leaks start (epoch ms). @default 2025-01-15T00:00:00Z */
  readonly leakStartsAt?: number;
}

export interface Site {
  readonly tenant: string;
  readonly slug: string;
  readonly name: string;
  readonly kind: SiteKind;
  readonly location: { readonly lat: number; readonly lon: number };
  readonly floorAreaM2?: number;
}

export interface Territory {
  readonly seed: string;
  readonly tenants: readonly TenantSpec[];
  readonly sites: readonly Site[];
  /** Registered devices first, then the unknown ones. */
  readonly devices: readonly SimDevice[];
}

export const DEFAULT_DEVICE_COUNT = 360;
const DEFAULT_LEAK_START = Date.UTC(2025, 0, 15);
const MAX_ROUNDS = 10_000;

export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * A deterministic demo territory: three communes and a water syndicate, with buildings, water
 * sectors, roads, bike paths and car parks, grown round by round until `devices` devices exist.
 */
export function buildTerritory(options: TerritoryOptions = {}): Territory {
  const seed = options.seed ?? 'terrapulse-demo';
  const wanted = options.devices ?? DEFAULT_DEVICE_COUNT;
  const prefix = options.prefix ?? '';
  const timezone = options.timezone ?? 'Europe/Paris';
  if (!Number.isInteger(wanted) || wanted < 0)
    throw new RangeError(`devices must be a whole number, got ${wanted}`);
  if (prefix !== '' && !/^[a-z0-9][a-z0-9-]{0,40}$/.test(prefix)) {
    throw new RangeError(`prefix ${JSON.stringify(prefix)}: up to 41 of a-z, 0-9 and -, not starting with -`);
  }
  const random = seededRandom(hashText(seed));
  const builder = new FleetBuilder(seed, prefix, timezone, random, {
    leakingSectors: options.leakingSectors ?? 1,
    leakStartsAt: options.leakStartsAt ?? DEFAULT_LEAK_START,
  });
  for (let round = 0; builder.devices.length < wanted && round < MAX_ROUNDS; round++) {
    for (const tenant of TENANTS) {
      for (const kind of sitesOfRound(tenant, round)) builder.addSite(tenant, kind, wanted);
    }
  }
  const registered = builder.devices.slice(0, wanted);
  const unknown = Array.from({ length: options.unknownDevices ?? 0 }, (_, i) =>
    builder.unknownTwin(registered[i % Math.max(1, registered.length)], i),
  ).filter((d): d is SimDevice => d !== undefined);
  const used = new Set(registered.map((d) => d.record.site));
  return {
    seed,
    tenants: TENANTS,
    sites: builder.sites.filter((s) => used.has(s.slug)),
    devices: [...registered, ...unknown],
  };
}

interface LeakPlan {
  readonly leakingSectors: number;
  readonly leakStartsAt: number;
}

class FleetBuilder {
  readonly devices: SimDevice[] = [];
  readonly sites: Site[] = [];
  private readonly siteCounts = new Map<string, number>();
  private sectorsBuilt = 0;

  constructor(
    private readonly seed: string,
    private readonly prefix: string,
    private readonly timezone: string,
    private readonly random: () => number,
    private readonly leaks: LeakPlan,
  ) {}

  addSite(tenant: TenantSpec, kind: SiteKind, wanted: number): void {
    // Water sectors lie in a commune but belong to the syndicate that runs the network.
    const owner = kind === 'water_sector' ? (TENANTS.find((t) => t.type === 'syndicate') ?? tenant) : tenant;
    const site = this.newSite(owner, tenant, kind);
    this.sites.push(site);
    const traits = siteTraits(kind, site, this.random, this.leakFor(kind));
    for (const template of SITE_EQUIPMENT[kind]) {
      if (this.devices.length >= wanted) return;
      this.devices.push(this.newDevice(owner, site, template, traits));
    }
  }

  /** A copy of a registered device under another id, provisioned in MQTT but absent from the registry. */
  unknownTwin(of: SimDevice | undefined, index: number): SimDevice | undefined {
    if (of === undefined) return undefined;
    const deviceId = `${this.prefix}unreg-${String(index + 1).padStart(4, '0')}`;
    return { ...of, record: { ...of.record, deviceId }, registered: false };
  }

  private leakFor(kind: SiteKind): { startsAt: number; flowM3h: number } | undefined {
    if (kind !== 'water_sector') return undefined;
    const leaking = this.sectorsBuilt < this.leaks.leakingSectors;
    this.sectorsBuilt++;
    return leaking
      ? { startsAt: this.leaks.leakStartsAt, flowM3h: round1(2 + this.random() * 6) }
      : undefined;
  }

  private newSite(owner: TenantSpec, place: TenantSpec, kind: SiteKind): Site {
    const countKey = `${owner.slug}:${place.slug}:${kind}`;
    const n = this.siteCounts.get(countKey) ?? 0;
    this.siteCounts.set(countKey, n + 1);
    const pool = SITE_NAMES[kind];
    const base = pool[n % pool.length] ?? kind;
    const numbered = n < pool.length ? base : `${base} ${Math.floor(n / pool.length) + 1}`;
    const name = owner === place ? numbered : `${numbered} (${place.name})`;
    const isBuilding = (BUILDING_KINDS as readonly string[]).includes(kind);
    const jitter = () => (this.random() - 0.5) * 0.03;
    return {
      tenant: owner.slug,
      slug: slugify(`${place.code} ${numbered}`).slice(0, 63),
      name,
      kind,
      location: { lat: round5(place.center.lat + jitter()), lon: round5(place.center.lon + jitter()) },
      ...(isBuilding && { floorAreaM2: floorArea(kind, this.random) }),
    };
  }

  private newDevice(owner: TenantSpec, site: Site, template: DeviceTemplate, traits: SiteTraits): SimDevice {
    const n = this.devices.length + 1;
    const localId = `${owner.code}-${template.code}-${String(n).padStart(4, '0')}`;
    const deviceId = DeviceId.parse(`${this.prefix}${localId}`);
    const installed = new Date(Date.UTC(2019, 0, 1) + Math.floor(this.random() * 6 * 365) * 86_400_000);
    const installedAt = installed.toISOString().slice(0, 10);
    const record = DeviceRecord.parse({
      deviceId,
      tenant: owner.slug,
      site: site.slug,
      siteName: site.name,
      ...(site.floorAreaM2 !== undefined && { floorAreaM2: site.floorAreaM2 }),
      timezone: this.timezone,
      domain: deviceKindDomain[template.kind],
      kind: template.kind,
      model: template.model,
      metrics: [...template.metrics],
      location: site.location,
      expectedIntervalS: template.expectedIntervalS,
      installedAt,
      externalIds: externalIds(template, this.random),
      ...(template.meterRole !== undefined && { meterRole: template.meterRole }),
      state: 'provisioned',
      updatedAt: `${installedAt}T08:00:00Z`,
    });
    return {
      record,
      profile: buildDeviceProfile(template.kind, traits, this.random, template),
      registered: true,
      noiseSeed: hashText(`${this.seed}:${localId}`),
      timezone: this.timezone,
    };
  }
}

function floorArea(kind: SiteKind, random: () => number): number {
  const [min, max] =
    kind === 'school'
      ? [1500, 4000]
      : kind === 'swimming_pool'
        ? [2000, 3500]
        : kind === 'gymnasium'
          ? [1200, 2500]
          : kind === 'library'
            ? [500, 1500]
            : [800, 2000];
  return Math.round(min + random() * (max - min));
}

function digits(count: number, random: () => number): string {
  return Array.from({ length: count }, () => Math.floor(random() * 10)).join('');
}

function externalIds(template: DeviceTemplate, random: () => number): DeviceRecord['externalIds'] {
  const serialNumber = `${template.code.toUpperCase()}${digits(10, random)}`;
  if (template.kind === 'electricity_meter' || template.kind === 'gas_meter') {
    return { serialNumber, meterPointId: digits(14, random) };
  }
  const devEui = Array.from({ length: 16 }, () => '0123456789ABCDEF'[Math.floor(random() * 16)]).join('');
  return { serialNumber, devEui };
}

const round1 = (v: number) => Math.round(v * 10) / 10;
const round5 = (v: number) => Math.round(v * 1e5) / 1e5;
