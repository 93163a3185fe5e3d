import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/progress.js';

function capture(isTTY: boolean) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
  stream.isTTY = isTTY;
  stream.columns = 120;
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

describe('progress', () => {
  it('prints one plain line per epoch when the stream is not a terminal', () => {
    const out = capture(false);
    let clock = 0;
    const progress = createProgress({ stream: out.stream, now: () => clock });
    for (const epoch of [0, 1]) {
      progress.epochBegin(epoch, 10, 3);
      clock += 500;
      progress.batchEnd({ batch: 1, samples: 128, loss: 1, accuracy: 0.5 });
      clock += 500;
      progress.epochEnd({ batch: 3, samples: 300, loss: 0.51234, accuracy: 0.875 });
    }
    progress.stop();
    expect(out.text()).toBe(
      'epoch  1/10  loss 0.5123  accuracy 0.8750  300 samples/s\n' + 'epoch  2/10  loss 0.5123  accuracy 0.8750  300 samples/s\n',
    );
  });

  it('draws a bar with loss, accuracy and samples/s on a terminal', () => {
    const out = capture(true);
    let clock = 0;
    const progress = createProgress({ stream: out.stream, now: () => clock });
    progress.epochBegin(0, 2, 4);
    clock += 1000;
    progress.epochEnd({ batch: 4, samples: 512, loss: 0.25, accuracy: 0.9 });
    expect(out.text()).toMatch(/epoch 1\/2 .* 4\/4 batches \| loss 0\.2500 \| accuracy 0\.9000 \| 512 samples\/s/);
    progress.stop();
  });
});
