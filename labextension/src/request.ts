/**
 * All HTTP to the Synth Studio server extension goes through `requestAPI`.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** Routes of synthstudio_kernel/server/handlers.py live under this path. */
export const API_NAMESPACE = 'synthstudio/api';

/**
 * Call the server extension and return its JSON body.
 *
 * @param endPoint - path under /synthstudio/api/, e.g. "datasets" or "runs/<id>/compliance"
 * @param init - fetch options (method, body, ...)
 * @param settings - server settings; the page's by default
 * @throws ServerConnection.NetworkError when the server cannot be reached, and
 *   ServerConnection.ResponseError (with the server's message) for any non-2xx answer
 */
export async function requestAPI<T>(
  endPoint = '',
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = URLExt.join(settings.baseUrl, API_NAMESPACE, endPoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new ServerConnection.NetworkError(error as TypeError);
  }
  const text = await response.text();
  let data: any = text;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's error page): keep the text for the message below.
    }
  }
  if (!response.ok) {
    const message =
      (data && typeof data === 'object' && (data.message || data.reason)) ||
      `Synth Studio API ${endPoint || '/'} answered ${response.status}`;
    throw new ServerConnection.ResponseError(response, message);
  }
  return data as T;
}
