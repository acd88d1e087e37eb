import { testEnvironment } from '../support/environment.js';
import { measureInfluxLeg, measureKafkaLeg, measureMqttLeg } from './legs.js';

const n = Number(process.argv[2] ?? 50_000);
const env = testEnvironment();
for (const figure of [
  await measureMqttLeg(env, n),
  await measureKafkaLeg(env, n),
  await measureInfluxLeg(env, n),
]) {
  console.log(
    `${figure.leg.padEnd(9)} ${Math.round(figure.rps).toString().padStart(7)} /s  (${figure.detail})`,
  );
}
