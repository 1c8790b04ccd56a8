// Tracked background work: failures logged, never unhandled; `settled` waits for work started
// by work.
import { describe, expect, it } from 'vitest';
import { BackgroundTasks } from '../../src/extension/background/background-tasks.js';

describe('BackgroundTasks', () => {
  it('settled waits for tasks and for the tasks they start', async () => {
    const tasks = new BackgroundTasks();
    const done: string[] = [];
    tasks.track(
      (async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        tasks.track(
          (async () => {
            await new Promise((resolve) => setTimeout(resolve, 5));
            done.push('inner');
          })(),
        );
        done.push('outer');
      })(),
    );
    await tasks.settled();
    expect(done).toEqual(['outer', 'inner']);
  });

  it('logs a failed task and a failed write, and settles anyway', async () => {
    const logged: string[] = [];
    const tasks = new BackgroundTasks((m) => logged.push(m));
    tasks.track(Promise.reject(new Error('boom')));
    tasks.persist(Promise.reject(new Error('quota')));
    await tasks.settled();
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatch(/^background task failed: Error: boom/);
    expect(logged[1]).toBe('storage/badge update failed: Error: quota');
  });
});
