import { runCli } from './cli/run.js';
import { processEnvironment } from './config/load.js';

/** The `parley` executable: the CLI on this process's streams, environment and working folder. */
const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: process.stdin,
  env: processEnvironment(),
  cwd: process.cwd(),
});
if (code !== 0) process.exit(code);
