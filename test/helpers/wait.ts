/**
 * Waits until `condition` holds, checking every 10 ms for at most ~15 s: a test waits on what it
 * needs to see, never on a fixed time, and so holds on a busy machine.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let tries = 0; !(await condition()); tries += 1) {
    if (tries > 1_500) throw new Error("the condition never held");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
