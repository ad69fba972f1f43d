import { Shellwise } from '@shellwise/client';

const sw = new Shellwise({ baseUrl: process.env.SHELLWISE_URL!, token: process.env.SHELLWISE_TOKEN });

// Start it and come back without waiting: a 202 with the job still running.
const job = await sw.jobs.start({ command: 'for i in 1 2 3; do echo line $i; sleep 0.5; done' }, { waitMs: 100 });
console.log(job.id, job.status);

// Follow its events; a dropped connection resumes by Last-Event-ID, the command never reruns.
for await (const event of sw.jobs.events(job.id)) {
  if (event.event === 'stdout') process.stdout.write(event.data);
}

// Or long-poll for the result, and read stored output by byte range.
const done = await sw.jobs.wait(job.id, { timeoutMs: 30_000 });
console.log(done.status, done.result?.exitCode);
const page = await sw.jobs.output(job.id, { offset: 7, length: 7 });
console.log(JSON.stringify(page.data));
