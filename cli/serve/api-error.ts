/**
 * Errors `thinkbench serve` answers with, as OpenAI-style bodies (`{"error": {message, type,
 * param, code}}`, the shape vLLM and the OpenAI API send): 400 for values the server will not
 * take, 404 for unknown routes and models, 422 for bodies of the wrong shape, 429 when the
 * queue is full.
 */
export type ApiStatus = 400 | 404 | 405 | 413 | 422 | 429 | 500;

const TYPE: Record<ApiStatus, string> = {
  400: 'invalid_request_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  413: 'invalid_request_error',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
  500: 'internal_error',
};

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: ApiStatus,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: number };
}

export function errorBody(error: ApiError): ErrorBody {
  return { error: { message: error.message, type: TYPE[error.status], param: error.param, code: error.status } };
}
