import { runHopDelay } from './hop-delay';

console.log(JSON.stringify(await runHopDelay(5), null, 1));
process.exit(0);
