/**
 * Typed failures of talking to the hub and storing its files. The UI and the CLI switch on
 * `name` (never on message text); messages say what happened and what to do next.
 */
export type HubErrorName =
  | 'HubRepoNotFound'
  | 'HubFileNotFound'
  | 'HubHttpError'
  | 'HubNetworkError'
  | 'DownloadVerificationError'
  | 'DownloadStalled'
  | 'StorageFullError'
  | 'UnsupportedModelError'
  | 'InvalidHubResponse'
  | 'DownloadCancelled';

export class HubError extends Error {
  override readonly name: HubErrorName;
  constructor(name: HubErrorName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
  }
}

export function isHubError(error: unknown, name?: HubErrorName): error is HubError {
  return error instanceof HubError && (name === undefined || error.name === name);
}

/**
 * Maps a non-2xx hub answer to a typed error. The hub answers an unknown or private repo with
 * 401 (so that private names do not leak) or 404, and says which in `X-Error-Code`.
 */
export function httpError(status: number, url: string, repo: string, errorCode: string | null): HubError {
  if (errorCode === 'RepoNotFound' || errorCode === 'RepositoryNotFound' || status === 401) {
    return new HubError(
      'HubRepoNotFound',
      `Model "${repo}" was not found on the hub (${status} at ${url}). Check the id's spelling; private or gated models are not supported.`,
    );
  }
  if (errorCode === 'RevisionNotFound') {
    return new HubError('HubFileNotFound', `Revision not found for "${repo}" (${url}). Check --revision.`);
  }
  if (status === 404) {
    return new HubError('HubFileNotFound', `File not found on the hub: ${url} (404).`);
  }
  return new HubError('HubHttpError', `The hub answered ${status} for ${url}. Try again later or use another mirror.`);
}

/** True for the errors a full disk or an exhausted storage quota raise in Node and browsers. */
export function isStorageFull(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, name } = error as { code?: unknown; name?: unknown };
  return code === 'ENOSPC' || code === 'EDQUOT' || name === 'QuotaExceededError';
}
