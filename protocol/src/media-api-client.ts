/**
 * A typed client for the media node's `/v1` API: signs each request and validates each response
 * with its schema. `fetch` is injected so the same client runs in Workers (the edge), in Node
 * (benchmarks, tools) and against an in-process Hono app (tests).
 */
import type { z } from 'zod';
import { ApiErrorBodySchema, CodedError, type ErrorCode } from './errors';
import {
  ClosedResponseSchema,
  ConnectedResponseSchema,
  type ConnectPipeTransportRequest,
  type ConnectTransportRequest,
  type ConsumeRequest,
  ConsumeResponseSchema,
  CreateSessionResponseSchema,
  type CreateTransportInput,
  CreateTransportResponseSchema,
  NodeLoadSchema,
  type OpenReceiverRequest,
  OpenReceiverResponseSchema,
  type PipeConsumeRequest,
  PipeConsumeResponseSchema,
  type PipeProduceRequest,
  PipeTransportInfoSchema,
  type ProduceRequest,
  ProduceResponseSchema,
  RebuildAckResponseSchema,
  RestartIceResponseSchema,
  ResumedResponseSchema,
  SessionListSchema,
  SessionStatsSchema,
  WorkerListSchema,
} from './media-api';
import { importSigningKey, signRequest } from './media-signing';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** A refused media API call, carrying the node's HTTP status and error code. */
export class MediaApiError extends CodedError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

export class MediaApiClient {
  readonly #baseUrl: string;
  readonly #fetch: FetchLike;
  readonly #key: Promise<CryptoKey>;

  /** `baseUrl` without a trailing slash, e.g. `https://media.example.com` (or '' for app.request). */
  constructor(baseUrl: string, secret: string, fetchImpl: FetchLike = fetch) {
    this.#baseUrl = baseUrl.replace(/\/$/, '');
    this.#fetch = fetchImpl;
    this.#key = importSigningKey(secret);
  }

  async #call<T extends z.ZodType>(
    method: string,
    path: string,
    schema: T,
    body?: unknown,
  ): Promise<z.infer<T>> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = await signRequest(await this.#key, method, path, text);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.#fetch(`${this.#baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: text }),
    });
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = ApiErrorBodySchema.safeParse(json);
      if (error.success)
        throw new MediaApiError(response.status, error.data.error.code, error.data.error.message);
      throw new MediaApiError(response.status, 'INVALID_RESPONSE', `media node answered ${response.status}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new MediaApiError(response.status, 'INVALID_RESPONSE', `unexpected ${path} response`);
    return parsed.data;
  }

  createSession(sessionId: string) {
    return this.#call('POST', '/v1/sessions', CreateSessionResponseSchema, { sessionId });
  }

  sessionStats(sessionId: string) {
    return this.#call('GET', `/v1/sessions/${sessionId}`, SessionStatsSchema);
  }

  listSessions() {
    return this.#call('GET', '/v1/sessions', SessionListSchema);
  }

  closeSession(sessionId: string) {
    return this.#call('DELETE', `/v1/sessions/${sessionId}`, ClosedResponseSchema);
  }

  acknowledgeRebuild(sessionId: string) {
    return this.#call('POST', `/v1/sessions/${sessionId}/rebuild-ack`, RebuildAckResponseSchema);
  }

  createTransport(sessionId: string, request: CreateTransportInput) {
    return this.#call('POST', `/v1/sessions/${sessionId}/transports`, CreateTransportResponseSchema, request);
  }

  connectTransport(sessionId: string, transportId: string, request: ConnectTransportRequest) {
    return this.#call(
      'POST',
      `/v1/sessions/${sessionId}/transports/${transportId}/connect`,
      ConnectedResponseSchema,
      request,
    );
  }

  restartIce(sessionId: string, transportId: string) {
    return this.#call(
      'POST',
      `/v1/sessions/${sessionId}/transports/${transportId}/restart-ice`,
      RestartIceResponseSchema,
    );
  }

  closeTransport(sessionId: string, transportId: string) {
    return this.#call('DELETE', `/v1/sessions/${sessionId}/transports/${transportId}`, ClosedResponseSchema);
  }

  produce(sessionId: string, request: ProduceRequest) {
    return this.#call('POST', `/v1/sessions/${sessionId}/producers`, ProduceResponseSchema, request);
  }

  closeProducer(sessionId: string, producerId: string) {
    return this.#call('DELETE', `/v1/sessions/${sessionId}/producers/${producerId}`, ClosedResponseSchema);
  }

  consume(sessionId: string, request: ConsumeRequest) {
    return this.#call('POST', `/v1/sessions/${sessionId}/consumers`, ConsumeResponseSchema, request);
  }

  resumeConsumer(sessionId: string, consumerId: string) {
    return this.#call(
      'POST',
      `/v1/sessions/${sessionId}/consumers/${consumerId}/resume`,
      ResumedResponseSchema,
    );
  }

  closeConsumer(sessionId: string, consumerId: string) {
    return this.#call('DELETE', `/v1/sessions/${sessionId}/consumers/${consumerId}`, ClosedResponseSchema);
  }

  openReceiver(sessionId: string, request: OpenReceiverRequest) {
    return this.#call('POST', `/v1/sessions/${sessionId}/receivers`, OpenReceiverResponseSchema, request);
  }

  createPipeTransport(sessionId: string) {
    return this.#call('POST', `/v1/sessions/${sessionId}/pipe-transports`, PipeTransportInfoSchema);
  }

  connectPipeTransport(sessionId: string, transportId: string, request: ConnectPipeTransportRequest) {
    return this.#call(
      'POST',
      `/v1/sessions/${sessionId}/pipe-transports/${transportId}/connect`,
      ConnectedResponseSchema,
      request,
    );
  }

  closePipeTransport(sessionId: string, transportId: string) {
    return this.#call(
      'DELETE',
      `/v1/sessions/${sessionId}/pipe-transports/${transportId}`,
      ClosedResponseSchema,
    );
  }

  pipeConsume(sessionId: string, request: PipeConsumeRequest) {
    return this.#call('POST', `/v1/sessions/${sessionId}/pipe-consumers`, PipeConsumeResponseSchema, request);
  }

  pipeProduce(sessionId: string, request: PipeProduceRequest) {
    return this.#call('POST', `/v1/sessions/${sessionId}/pipe-producers`, ProduceResponseSchema, request);
  }

  load() {
    return this.#call('GET', '/v1/load', NodeLoadSchema);
  }

  workers() {
    return this.#call('GET', '/v1/workers', WorkerListSchema);
  }
}
