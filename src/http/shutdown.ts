import { ErrorCode, KeywardError } from "../core/errors.js";

/**
 * Graceful shutdown: counts in-flight requests so `close()` can wait for them instead of
 * cutting them off, and turns new ones away meanwhile.
 */
export class GracefulShutdown {
  constructor(
    /** The refusal's message for a request (in its language: http/errors.ts `apiMessage`). */
    private readonly messageFor: (error: KeywardError, request: Request) => string = (error) =>
      error.message,
  ) {}

  private inFlight = 0;
  private closing: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  async track(request: Request, handle: () => Response | Promise<Response>): Promise<Response> {
    if (this.closing) {
      const refusal = new KeywardError(
        ErrorCode.STORE_UNAVAILABLE,
        "The service is shutting down; try again.",
      );
      return Response.json(
        { error: { code: refusal.code, message: this.messageFor(refusal, request) } },
        {
          status: 503,
          headers: { "Retry-After": "1", Connection: "close", Vary: "Accept-Language" },
        },
      );
    }
    this.inFlight += 1;
    try {
      return await handle();
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.drained?.();
    }
  }

  /** Stops taking requests, waits for those in flight, then runs `release` (once). */
  close(release: () => Promise<void>): Promise<void> {
    this.closing ??= (async () => {
      if (this.inFlight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      await release();
    })();
    return this.closing;
  }
}
