// Preloaded with `node -r` into a command the bench runs: prints the process's peak resident memory and CPU
// time (worker threads included) to stderr as it exits, so the bench can read them without platform tools.
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`\n[usage] maxRSS=${u.maxRSS} cpuMicros=${u.userCPUTime + u.systemCPUTime}\n`);
});
