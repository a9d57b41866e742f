import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

describe('CloudWatch Logs answers failed model constraints as AWS does', () => {
  const nimbus = useNimbus();

  const cases: [string, () => Promise<unknown>, RegExp][] = [
    ['a log group name breaking the pattern', () => new CloudWatchLogsClient(clientSettings(nimbus())).send(new CreateLogGroupCommand({ logGroupName: 'bad name!' })), /at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern/],
    ['a limit over its maximum', () => new CloudWatchLogsClient(clientSettings(nimbus())).send(new DescribeLogGroupsCommand({ limit: 51 })), /Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50/],
  ];
  for (const [why, call, message] of cases) {
    it(`with InvalidParameterException for ${why}`, async () => {
      await assert.rejects(call(), (error: Error & { $metadata: { httpStatusCode?: number } }) => {
        assert.equal(error.name, 'InvalidParameterException');
        assert.match(error.message, message);
        assert.equal(error.$metadata.httpStatusCode, 400);
        return true;
      });
    });
  }
});
