/**
 * A logged change as the stream record AWS delivers, in its JSON form (what GetRecords puts on the wire
 * and what Lambda receives): the stream's view type decides which images it carries
 * (https://docs.aws.amazon.com/amazondynamodbstreams/latest/APIReference/API_StreamRecord.html), and
 * deletions by Time to Live name the DynamoDB service as userIdentity
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-streams.html).
 */
import type { StreamViewType } from '../../../generated/dynamodbstreams.js';
import { itemSize } from '../../../engines/dynamodb/index.js';
import type { JsonAttributeMap, LoggedChange } from './stream-log.js';

export interface JsonStreamRecord {
  eventID: string;
  eventName: LoggedChange['eventName'];
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    /** Epoch seconds. */
    ApproximateCreationDateTime: number;
    Keys: JsonAttributeMap;
    NewImage?: JsonAttributeMap;
    OldImage?: JsonAttributeMap;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: StreamViewType;
  };
  userIdentity?: { type: 'Service'; principalId: 'dynamodb.amazonaws.com' };
}

export function streamRecord(change: LoggedChange, viewType: StreamViewType, region: string): JsonStreamRecord {
  const withNew = viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES';
  const withOld = viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES';
  const newImage = withNew ? change.newImage : undefined;
  const oldImage = withOld ? change.oldImage : undefined;
  const record: JsonStreamRecord = {
    eventID: change.eventID,
    eventName: change.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(change.at / 1000),
      Keys: change.keys,
      ...(newImage ? { NewImage: newImage } : {}),
      ...(oldImage ? { OldImage: oldImage } : {}),
      SequenceNumber: change.sequenceNumber,
      SizeBytes: itemSize(change.keys) + (newImage ? itemSize(newImage) : 0) + (oldImage ? itemSize(oldImage) : 0),
      StreamViewType: viewType,
    },
  };
  if (change.byTimeToLive) record.userIdentity = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };
  return record;
}
