import { Shellwise } from '@shellwise/client';

const sw = new Shellwise({ baseUrl: process.env.SHELLWISE_URL!, token: process.env.SHELLWISE_TOKEN });

for await (const event of sw.stream({ command: 'for i in 1 2 3; do echo step $i; sleep 0.2; done; exit 3' })) {
  switch (event.event) {
    case 'start':
      console.log(`job ${event.jobId} started`);
      break;
    case 'stdout':
    case 'stderr':
      process.stdout.write(`[${event.event}] ${event.data}`);
      break;
    case 'exit':
      console.log(`exit code ${event.exitCode}`);
      break;
    case 'analysis':
      console.log(`why: ${event.summary}`);
      break;
    case 'end':
      console.log(`job ${event.id} ${event.status}`);
      break;
    case 'error':
      console.error(`server error ${event.code}: ${event.detail}`);
      break;
  }
}
