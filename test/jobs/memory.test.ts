import { silentLogger } from '../../src/log.js';
import { createMemoryQueue } from '../../src/jobs/memory.js';
import { runQueueContract } from './queue.contract.js';

runQueueContract('memory', (opts) => createMemoryQueue({ ...opts, logger: silentLogger }));
