import { ConfirmationRequired, Shellwise, type ExecRequest } from '@shellwise/client';

const sw = new Shellwise({ baseUrl: process.env.SHELLWISE_URL!, token: process.env.SHELLWISE_TOKEN });
const request: ExecRequest = { command: 'git push --force origin main' };

try {
  await sw.run(request);
} catch (err) {
  if (!(err instanceof ConfirmationRequired)) throw err;
  // Nothing ran. Show a person why, and resubmit only if they agree (the token runs it once).
  console.log(`rule ${err.ruleId}: ${err.reason} (token valid ${err.expiresInSecs} s)`);
  const approved = true; // e.g. await askAHuman(err.reason)
  if (approved) {
    const result = await sw.run(err.confirmed(request));
    console.log(`ran once after confirmation: exit code ${result.exitCode}`);
  }
}
