import type { SessionLogError } from '../errors';
import { REQUEST_ID } from './model';
import { AGENT_OPERATIONS, errorEnvelope, findOperation, runOperation, type ErrorEnvelope, type OperationContext } from './operations';

/**
 * The agent protocol's request/response envelopes, one JSON object per line:
 *   {"type":"request","payload":{"requestId":"req-...","method":"workflow.sessionlog.<op>","params":{...}}}
 * answered by
 *   {"type":"result","payload":{"requestId":"req-...","result":{...}}}
 *   {"type":"error","payload":{"requestId":"req-...","code":"...","message":"...","details":{...},"hint":"..."}}
 * Anything wrong with a line is an error envelope (requestId null when it cannot be read), never a crash.
 */
const METHOD_PREFIX = 'workflow.sessionlog.';

type ResponseEnvelope =
  | { type: 'result'; payload: { requestId: string; result: Record<string, unknown> } }
  | { type: 'error'; payload: { requestId: string | null } & ErrorEnvelope };

export const METHODS: readonly string[] = AGENT_OPERATIONS.map((operation) => `${METHOD_PREFIX}${operation.name}`);

/** Answers one request line. */
export async function handleRequestLine(context: OperationContext, line: string): Promise<ResponseEnvelope> {
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch (error) {
    return failure(null, {
      code: 'invalid_parameter',
      message: `The line is not JSON: ${(error as Error).message}.`,
      details: { line: line.length > 200 ? `${line.slice(0, 200)}…` : line },
      hint: 'Send one single-line JSON request envelope per line: {"type":"request","payload":{"requestId":"req-...","method":"workflow.sessionlog.bootstrap","params":{}}}.',
    });
  }
  const envelope = isObject(request) ? request : {};
  const payload = isObject(envelope.payload) ? envelope.payload : undefined;
  const rawId = payload?.requestId;
  const requestId = typeof rawId === 'string' ? rawId : null;
  if (envelope.type !== 'request' || !payload) {
    return failure(requestId, {
      code: 'invalid_parameter',
      message: 'The envelope must be {"type":"request","payload":{...}}.',
      details: { type: isObject(request) ? (envelope.type ?? null) : typeof request },
      hint: 'Wrap the call as {"type":"request","payload":{"requestId":"req-<yyyyMMddTHHmmssZ>-<slug>","method":"workflow.sessionlog.<op>","params":{}}}.',
    });
  }
  if (requestId === null || !REQUEST_ID.test(requestId)) {
    return failure(requestId, {
      code: 'invalid_request_id',
      message: `payload.requestId ${JSON.stringify(rawId ?? null)} is not a valid request id.`,
      details: { field: 'payload.requestId', value: rawId ?? null },
      hint: 'Use req-<yyyyMMddTHHmmssZ>-<slugOrOrdinal> with the current UTC time, e.g. req-20260409T120000Z-bootstrap-001.',
    });
  }
  const method = payload.method;
  const operation = typeof method === 'string' && method.startsWith(METHOD_PREFIX) ? findOperation(method.slice(METHOD_PREFIX.length)) : undefined;
  if (!operation) {
    return failure(requestId, {
      code: 'unknown_method',
      message: `Unknown method ${JSON.stringify(method ?? null)}.`,
      details: { method: method ?? null },
      hint: `Use one of: ${METHODS.join(', ')}.`,
    });
  }
  try {
    const { result } = await runOperation(context, operation, payload.params);
    return { type: 'result', payload: { requestId, result } };
  } catch (error) {
    return failure(requestId, errorEnvelope(error));
  }
}

/**
 * The answer to a line whose bytes are not UTF-8 (`error` names the line): it is refused, never read with
 * U+FFFD in place of its bytes. `lenient` is the line decoded anyway, only to find the request id to answer.
 */
export function refuseUndecodableLine(lenient: string, error: SessionLogError): ResponseEnvelope {
  let requestId: string | null = null;
  try {
    const payload = (JSON.parse(lenient) as { payload?: { requestId?: unknown } } | null)?.payload;
    if (typeof payload?.requestId === 'string' && REQUEST_ID.test(payload.requestId)) requestId = payload.requestId;
  } catch {
    // Not JSON either: answered without a request id.
  }
  return failure(requestId, { code: 'invalid_parameter', message: error.message, details: error.details, ...(error.hint ? { hint: error.hint } : {}) });
}

function failure(requestId: string | null, error: ErrorEnvelope): ResponseEnvelope {
  return { type: 'error', payload: { requestId, ...error } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
