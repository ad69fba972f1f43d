import { Shellwise } from '@shellwise/client';

const sw = new Shellwise({ baseUrl: process.env.SHELLWISE_URL!, token: process.env.SHELLWISE_TOKEN });
const result = await sw.run({ command: 'echo hello from $(uname -s)' });
console.log(result.exitCode, result.stdout.trim());
