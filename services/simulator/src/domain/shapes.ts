/**
 * Daily and seasonal shapes of a territory's loads, as levels at each whole local hour (index 0 =
 * midnight), read with linear interpolation. They are rough but recognisable: what an energy
 * manager, a water network operator or a mobility planner expects to see on a dashboard.
 */

export type DayShape = readonly number[];

const TWO_PI = 2 * Math.PI;

/** Level at a fractional local hour, interpolated between whole hours and wrapping at midnight. */
export function atHour(shape: DayShape, hour: number): number {
  const h = Math.floor(hour);
  const a = shape[h % 24] ?? 0;
  const b = shape[(h + 1) % 24] ?? 0;
  return a + (b - a) * (hour - h);
}

/** Mean level of a day, for shapes that scale a daily mean rather than a peak. */
export function meanLevel(shape: DayShape): number {
  return shape.reduce((sum, v) => sum + v, 0) / shape.length;
}

/** Outdoor temperature (°C) of a temperate French climate: coldest late January, warmest late July. */
export function outdoorTemperature(dayOfYear: number): number {
  return 11.5 - 8 * Math.cos((TWO_PI * (dayOfYear - 20)) / 365.2425);
}

/** Heating need relative to a cold January day, from degree-days at a 17 °C base; 0 in summer. */
export function heatingDemand(dayOfYear: number): number {
  return Math.max(0, 17 - outdoorTemperature(dayOfYear)) / 13;
}

/** Electric lighting and auxiliaries use a little more in the dark months. */
export function lightingSeason(dayOfYear: number): number {
  return 1 + 0.12 * Math.cos((TWO_PI * (dayOfYear + 10)) / 365.2425);
}

/** Water demand peaks in summer (gardens, tourism, pools). */
export function waterSeason(dayOfYear: number): number {
  return 1 + 0.18 * Math.cos((TWO_PI * (dayOfYear - 200)) / 365.2425);
}

/** Cycling is seasonal: about twice as many bikes in July as in January. */
export function bikeSeason(dayOfYear: number): number {
  return 1 + 0.35 * Math.cos((TWO_PI * (dayOfYear - 190)) / 365.2425);
}

const flat = (level: number): DayShape => Array.from({ length: 24 }, () => level);

// --- Electricity, fraction of the building's peak power -------------------------------------------

const SCHOOL_DAY: DayShape = [
  0.14, 0.14, 0.14, 0.14, 0.14, 0.15, 0.22, 0.55, 0.92, 1, 1, 0.98, 0.9, 0.95, 1, 0.97, 0.8, 0.5, 0.3, 0.2,
  0.17, 0.16, 0.15, 0.14,
];
// French primary schools are closed on Wednesday afternoons (leisure centre in the morning only).
const SCHOOL_WEDNESDAY: DayShape = [
  0.14, 0.14, 0.14, 0.14, 0.14, 0.15, 0.2, 0.45, 0.7, 0.75, 0.75, 0.7, 0.5, 0.3, 0.2, 0.18, 0.17, 0.16, 0.15,
  0.15, 0.14, 0.14, 0.14, 0.14,
];
const NIGHT_BASELOAD: DayShape = flat(0.12);
const TOWN_HALL_DAY: DayShape = [
  0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.22, 0.45, 0.85, 1, 1, 1, 0.85, 0.95, 1, 1, 1, 0.9, 0.55, 0.3, 0.24, 0.22,
  0.21, 0.2,
];
const TOWN_HALL_SATURDAY: DayShape = [
  0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.25, 0.45, 0.6, 0.6, 0.6, 0.35, 0.22, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2,
  0.2, 0.2, 0.2,
];
const GYMNASIUM_WEEKDAY: DayShape = [
  0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.12, 0.2, 0.45, 0.55, 0.55, 0.55, 0.35, 0.5, 0.55, 0.55, 0.6, 0.9, 1, 1, 1,
  0.95, 0.5, 0.15,
];
const GYMNASIUM_WEEKEND: DayShape = [
  0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.15, 0.45, 0.7, 0.75, 0.75, 0.6, 0.65, 0.75, 0.75, 0.7, 0.6, 0.35, 0.15,
  0.1, 0.1, 0.1, 0.1,
];
// Filtration and heat pumps run day and night; opening hours add lighting and showers.
const POOL_DAY: DayShape = [
  0.55, 0.55, 0.55, 0.55, 0.55, 0.56, 0.7, 0.9, 0.95, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.98, 0.95, 0.7, 0.58,
  0.55,
];
const LIBRARY_OPEN: DayShape = [
  0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.18, 0.3, 0.7, 1, 1, 0.95, 0.95, 1, 1, 1, 0.95, 0.6, 0.25, 0.17,
  0.15, 0.15, 0.15,
];

export type BuildingUse = 'school' | 'town_hall' | 'gymnasium' | 'swimming_pool' | 'library';

/** Electricity shape of a building on a weekday (0 = Monday). */
export function electricityShape(use: BuildingUse, weekday: number): DayShape {
  switch (use) {
    case 'school':
      if (weekday >= 5) return NIGHT_BASELOAD;
      return weekday === 2 ? SCHOOL_WEDNESDAY : SCHOOL_DAY;
    case 'town_hall':
      if (weekday === 6) return NIGHT_BASELOAD;
      return weekday === 5 ? TOWN_HALL_SATURDAY : TOWN_HALL_DAY;
    case 'gymnasium':
      return weekday >= 5 ? GYMNASIUM_WEEKEND : GYMNASIUM_WEEKDAY;
    case 'swimming_pool':
      return POOL_DAY;
    case 'library':
      return weekday === 0 || weekday === 6 ? NIGHT_BASELOAD : LIBRARY_OPEN;
  }
}

// --- Heating, fraction of the design heating power ------------------------------------------------

/** Comfort temperature from `from` to `to` (local hours), with a night setback elsewhere. */
function comfort(from: number, to: number, setback = 0.35): DayShape {
  return Array.from({ length: 24 }, (_, h) => {
    if (h === from - 1) return 1.25; // morning boost to bring the building up to temperature
    return h >= from && h < to ? 1 : setback;
  });
}
const SCHOOL_HEATING = comfort(7, 17);
const SCHOOL_HEATING_WEDNESDAY = comfort(7, 13);
const OFFICE_HEATING = comfort(8, 18);
const SATURDAY_MORNING_HEATING = comfort(9, 12);
const GYM_HEATING = comfort(8, 22, 0.4);
const POOL_HEATING = comfort(7, 21, 0.75);
const LIBRARY_HEATING = comfort(10, 18);
const SETBACK = flat(0.3);

export function heatingShape(use: BuildingUse, weekday: number): DayShape {
  switch (use) {
    case 'school':
      if (weekday >= 5) return SETBACK;
      return weekday === 2 ? SCHOOL_HEATING_WEDNESDAY : SCHOOL_HEATING;
    case 'town_hall':
      if (weekday === 6) return SETBACK;
      return weekday === 5 ? SATURDAY_MORNING_HEATING : OFFICE_HEATING;
    case 'gymnasium':
      return GYM_HEATING;
    case 'swimming_pool':
      return POOL_HEATING;
    case 'library':
      return weekday === 0 || weekday === 6 ? SETBACK : LIBRARY_HEATING;
  }
}

// --- Water, multiple of the sector's mean demand ---------------------------------------------------

const WATER_WEEKDAY_RAW: DayShape = [
  0.45, 0.35, 0.3, 0.28, 0.3, 0.45, 0.9, 1.45, 1.6, 1.35, 1.2, 1.15, 1.25, 1.15, 1, 0.95, 1, 1.15, 1.35, 1.45,
  1.3, 1.05, 0.8, 0.6,
];
const WATER_WEEKEND_RAW: DayShape = [
  0.5, 0.4, 0.33, 0.3, 0.3, 0.35, 0.5, 0.8, 1.15, 1.45, 1.5, 1.4, 1.35, 1.2, 1.05, 1, 1.05, 1.15, 1.3, 1.35,
  1.25, 1.05, 0.8, 0.6,
];
const normalize = (shape: DayShape): DayShape => shape.map((v) => v / meanLevel(shape));
const WATER_WEEKDAY = normalize(WATER_WEEKDAY_RAW);
const WATER_WEEKEND = normalize(WATER_WEEKEND_RAW);

export function waterDemandShape(weekday: number): DayShape {
  return weekday >= 5 ? WATER_WEEKEND : WATER_WEEKDAY;
}

/** The highest demand multiple of any day, to place pressure dips relative to the peak. */
export const WATER_PEAK_MULTIPLE = Math.max(...WATER_WEEKDAY, ...WATER_WEEKEND);

// --- Mobility, fraction of the peak hourly flow -----------------------------------------------------

const TRAFFIC_WEEKDAY: DayShape = [
  0.04, 0.025, 0.02, 0.02, 0.03, 0.09, 0.35, 0.8, 1, 0.72, 0.55, 0.55, 0.6, 0.58, 0.55, 0.6, 0.75, 0.95, 0.9,
  0.65, 0.42, 0.3, 0.2, 0.1,
];
const TRAFFIC_SATURDAY: DayShape = [
  0.1, 0.07, 0.05, 0.04, 0.04, 0.05, 0.1, 0.2, 0.35, 0.5, 0.6, 0.65, 0.6, 0.55, 0.55, 0.6, 0.62, 0.6, 0.55,
  0.45, 0.35, 0.28, 0.2, 0.14,
];
const TRAFFIC_SUNDAY: DayShape = TRAFFIC_SATURDAY.map((v) => v * 0.75);

export function trafficShape(weekday: number): DayShape {
  if (weekday === 6) return TRAFFIC_SUNDAY;
  return weekday === 5 ? TRAFFIC_SATURDAY : TRAFFIC_WEEKDAY;
}

const BIKE_WEEKDAY: DayShape = [
  0.01, 0, 0, 0, 0, 0.02, 0.12, 0.65, 1, 0.45, 0.2, 0.2, 0.3, 0.3, 0.2, 0.22, 0.4, 0.85, 0.8, 0.4, 0.2, 0.1,
  0.05, 0.02,
];
const BIKE_WEEKEND: DayShape = [
  0.02, 0.01, 0, 0, 0, 0, 0.02, 0.05, 0.12, 0.25, 0.4, 0.45, 0.4, 0.4, 0.5, 0.55, 0.55, 0.5, 0.4, 0.25, 0.12,
  0.06, 0.04, 0.02,
];

export function bikeShape(weekday: number): DayShape {
  return weekday >= 5 ? BIKE_WEEKEND : BIKE_WEEKDAY;
}

const PEDESTRIAN_WEEKDAY: DayShape = [
  0.02, 0.01, 0.01, 0.01, 0.01, 0.03, 0.06, 0.1, 0.35, 0.5, 0.6, 0.75, 0.95, 1, 0.9, 0.7, 0.65, 0.75, 0.85,
  0.8, 0.5, 0.3, 0.15, 0.06,
];
// Saturday is market day in the centre.
const PEDESTRIAN_SATURDAY: DayShape = [
  0.04, 0.02, 0.01, 0.01, 0.01, 0.02, 0.04, 0.1, 0.4, 0.9, 1.2, 1.2, 1.05, 0.8, 0.6, 0.65, 0.7, 0.7, 0.65,
  0.5, 0.35, 0.2, 0.1, 0.06,
];
const PEDESTRIAN_SUNDAY: DayShape = PEDESTRIAN_SATURDAY.map((v, h) => (h < 13 ? v * 0.6 : v * 0.5));

export function pedestrianShape(weekday: number): DayShape {
  if (weekday === 6) return PEDESTRIAN_SUNDAY;
  return weekday === 5 ? PEDESTRIAN_SATURDAY : PEDESTRIAN_WEEKDAY;
}

export type CarParkUse = 'centre' | 'station';

const PARKING_CENTRE_WEEKDAY: DayShape = [
  0.22, 0.2, 0.2, 0.2, 0.2, 0.21, 0.25, 0.35, 0.55, 0.72, 0.82, 0.86, 0.88, 0.8, 0.82, 0.85, 0.86, 0.85, 0.75,
  0.55, 0.4, 0.32, 0.27, 0.24,
];
const PARKING_CENTRE_SATURDAY: DayShape = PARKING_CENTRE_WEEKDAY.map((v, h) =>
  h >= 9 && h <= 18 ? Math.min(0.97, v * 1.1) : v,
);
const PARKING_CENTRE_SUNDAY: DayShape = PARKING_CENTRE_WEEKDAY.map((v) => 0.2 + (v - 0.2) * 0.3);
const PARKING_STATION_WEEKDAY: DayShape = [
  0.12, 0.12, 0.12, 0.12, 0.12, 0.15, 0.35, 0.7, 0.9, 0.93, 0.93, 0.92, 0.9, 0.9, 0.9, 0.9, 0.88, 0.8, 0.55,
  0.3, 0.2, 0.16, 0.14, 0.13,
];
const PARKING_STATION_WEEKEND: DayShape = flat(0.18);

/** Occupancy as a fraction of capacity. */
export function parkingShape(use: CarParkUse, weekday: number): DayShape {
  if (use === 'station') return weekday >= 5 ? PARKING_STATION_WEEKEND : PARKING_STATION_WEEKDAY;
  if (weekday === 6) return PARKING_CENTRE_SUNDAY;
  return weekday === 5 ? PARKING_CENTRE_SATURDAY : PARKING_CENTRE_WEEKDAY;
}
