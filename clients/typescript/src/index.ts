// @shellwise/client: the public surface. The raw generated operations are at
// `@shellwise/client/generated`.
export {
  type EventsOptions,
  isFinished,
  Jobs,
  Models,
  Policy,
  Shellwise,
  type ShellwiseOptions,
  type StreamOptions,
} from './client.js';
export {
  ConfirmationRequired,
  ConnectionError,
  ProblemError,
  ShellwiseError,
  streamProblem,
  TimeoutError,
} from './errors.js';
export type {
  AnalysisEvent,
  EndEvent,
  ErrorEvent,
  ExitEvent,
  StartEvent,
  StderrEvent,
  StdoutEvent,
  StreamEvent,
  StreamEventName,
} from './events.js';
export type { CallOptions } from './transport.js';
export type { Argv, ExecRequest } from './types.js';
export type {
  Analysis,
  AnalyzeRequest,
  ChatBody,
  ChatResponse,
  Code,
  ExecResult,
  Job,
  JobList,
  JobOutput,
  JobStatus,
  ModelList,
  PolicyDecision,
  Problem,
} from './generated/index.js';
