import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writtenFileStreams } from '../src/written-files.js';

test('files listed in the destination\'s "wrote" log line are counted per stream', () => {
  const msg = 'bucket: wrote 3 file(s): identify/2026/11/29/identify_0179594690014300006290_1795946896_00000.parquet (12 rows, 6786 bytes), '
    + 'campaign_actions/2026/11/29/campaign_actions_01795_1_00000.parquet (34 rows, 13787 bytes), '
    + 'campaigns_v4_42_0179.parquet (3 rows, 9000 bytes)';
  assert.deepEqual(writtenFileStreams(msg, ['campaigns', 'campaign_actions', 'identify']), ['identify', 'campaign_actions', 'campaigns']);
  assert.deepEqual(writtenFileStreams('bucket: wrote 1 file(s): x/y.parquet (1 rows, 2 bytes)', ['a']), ['?']);
  assert.equal(writtenFileStreams('bucket: flushing', ['a']), undefined);
});
