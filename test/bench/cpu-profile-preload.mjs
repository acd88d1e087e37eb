// Preloaded with `node --import` (NODE_OPTIONS refuses --cpu-prof): profiles the whole process and
// writes a .cpuprofile on exit, into CPU_PROFILE_DIR as CPU_PROFILE_NAME.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  process.on('exit', () => {
    // The main-thread inspector session answers synchronously, so this runs before the exit.
    session.post('Profiler.stop', (error, result) => {
      if (!error)
        writeFileSync(
          join(dir, process.env.CPU_PROFILE_NAME ?? `${process.pid}.cpuprofile`),
          JSON.stringify(result.profile),
        );
    });
  });
}
