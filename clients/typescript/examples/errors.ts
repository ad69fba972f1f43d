import { ConnectionError, ProblemError, Shellwise, TimeoutError } from '@shellwise/client';

const sw = new Shellwise({ baseUrl: process.env.SHELLWISE_URL!, token: process.env.SHELLWISE_TOKEN });

try {
  await sw.run({ command: 'echo ok; sudo rm -rf /' });
} catch (err) {
  if (err instanceof ProblemError) {
    // `code` is stable: switch on it, never on `detail`.
    console.log(err.status, err.code, err.ruleId, err.requestId !== undefined);
  } else if (err instanceof ConnectionError || err instanceof TimeoutError) {
    console.log('server unreachable or too slow:', err.message);
  } else {
    throw err;
  }
}

try {
  await sw.run({ command: 'sleep 5' }, { timeoutMs: 200 });
} catch (err) {
  if (!(err instanceof TimeoutError)) throw err;
  console.log(`gave up after ${err.timeoutMs} ms`);
}
