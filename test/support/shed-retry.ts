/**
 * fetch as a desk's client does it against a real server process: a 503 `overloaded` (load
 * shedding refuses before any handler runs, so nothing was written) is sent again after a pause.
 * Tests that spawn real servers use it, so that a CPU-starved test machine (test files run in
 * parallel) slows them down instead of failing them; any other answer is returned as it is.
 */
export async function fetchRetryingShed(url: string, init: RequestInit, attempts = 20): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(url, init);
    if (res.status !== 503 || attempt >= attempts) return res;
    const text = await res.clone().text();
    if (!text.includes('"overloaded"')) return res;
    // Retry-After says 5 s for real clients; a test waits a fraction of it.
    await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
  }
}
