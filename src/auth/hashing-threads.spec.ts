import { readdirSync, readFileSync } from 'node:fs';
import bcrypt from 'bcrypt';
import { HashingThreads, threadPrioritySupported } from './hashing-threads.js';

/** The nice value of every thread of this process (field 19 of /proc/self/task/<tid>/stat). */
function threadNices(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('HashingThreads', () => {
  let threads: HashingThreads;

  beforeEach(() => {
    threads = new HashingThreads(2, 7);
  });

  afterEach(() => threads.close());

  it('makes bcrypt hashes that bcrypt itself accepts, and checks them', async () => {
    const hash = await threads.hash('correct horse', 4);
    expect(bcrypt.getRounds(hash)).toBe(4);
    await expect(bcrypt.compare('correct horse', hash)).resolves.toBe(true);
    await expect(threads.compare('correct horse', hash)).resolves.toBe(true);
    await expect(threads.compare('wrong horse', hash)).resolves.toBe(false);
  });

  it('runs more tasks than threads, each with its own answer', async () => {
    const words = Array.from({ length: 6 }, (_, index) => `word-${index}`);
    const hashes = await Promise.all(words.map((word) => threads.hash(word, 4)));
    const checks = await Promise.all(words.map((word, index) => threads.compare(word, hashes[(index + 1) % words.length])));
    expect(checks).toEqual(words.map(() => false));
    await expect(Promise.all(words.map((word, index) => threads.compare(word, hashes[index])))).resolves.toEqual(words.map(() => true));
  });

  it('answers a task bcrypt refuses with an error, and goes on working', async () => {
    await expect(threads.compare('x', 'not a bcrypt hash')).resolves.toBe(false);
    await expect(threads.hash('x', 40)).rejects.toThrow('Invalid salt');
    await expect(threads.hash('still here', 4)).resolves.toMatch(/^\$2b\$04\$/);
  });

  it('runs its threads at the configured lower priority', async () => {
    expect(threadPrioritySupported()).toBe(true);
    expect(threadNices()).not.toContain(7);
    await threads.hash('priority', 4);
    expect(threadNices()).toContain(7);
  });

  it('refuses work once closed', async () => {
    await threads.close();
    await expect(threads.hash('late', 4)).rejects.toThrow('closed');
  });
});
