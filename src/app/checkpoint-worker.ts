// The checkpoint thread: keeps its own copy of the run's timeline and turns each checkpoint
// into result.json. A 24-hour timeline is 86,400 points, about 20 MB of JSON and a few hundred
// ms to serialise and validate: done here, it never stalls the thread that keeps the schedule.
import { parentPort, workerData } from 'node:worker_threads';
import { writeCheckpoint, type CheckpointMessage } from './checkpoint-sink.js';
import type { TimelinePoint } from '../result/types.js';

const port = parentPort!;
const path = (workerData as { path: string }).path;
const timeline: TimelinePoint[] = [];

port.on('message', (message: CheckpointMessage) => {
  if (message.type === 'points') timeline.push(...message.points);
  else void writeCheckpoint(path, message.result, timeline, message.seconds).then((reply) => port.postMessage(reply));
});
