/**
 * restXml against the real AWS SDK v3 S3 client, path-style and virtual-hosted-style: its serializer produces
 * the requests we parse, its deserializer reads the responses (and errors) we write. A fake request handler
 * stands in for the network.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetBucketAclCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  NoSuchBucket,
  NoSuchKey,
  NotFound,
  PutBucketTaggingCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { ServiceError, ValidationFailure } from '../shared/errors.js';
import type { ServiceModel } from './model.js';
import type { ResponseContext } from './protocol.js';
import { loadServiceModel } from './model.js';
import { bucketFromHost, decodeAwsChunked } from './rest-s3.js';
import { restXmlProtocol, restXmlValidationErrorCode } from './rest-xml.js';
import type { SdkReply, SdkSeen } from './sdk-harness.js';
import { SDK_CLIENT_SETTINGS, sdkHarness } from './sdk-harness.js';
import { restWireRequest } from './test-support.js';
import type { WireRequest } from './wire.js';
import { XmlReadError, parseXmlDocument, readXmlDocument } from './xml-reader.js';

const s3 = loadServiceModel('s3');
const context: ResponseContext = { requestId: 'req-1' };
const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

// ---------------------------------------------------------------------------------------------------------
// SDK <-> wire
// ---------------------------------------------------------------------------------------------------------

type Addressing = 'path-style' | 'virtual-hosted';

/**
 * An S3 client whose requests go through our codec: it records what was parsed and answers with `reply`.
 * `tamper` may change the request on the wire, for requests the SDK would never send.
 */
function fakeS3(addressing: Addressing, reply: SdkReply, tamper?: (wire: WireRequest) => WireRequest): { client: S3Client; seen: SdkSeen } {
  const { requestHandler, seen } = sdkHarness({ protocol: restXmlProtocol, model: s3, context, reply, tamper });
  const client = new S3Client({
    ...SDK_CLIENT_SETTINGS,
    endpoint: addressing === 'path-style' ? 'http://localhost:4566' : 'http://s3.localhost:4566',
    forcePathStyle: addressing === 'path-style',
    requestHandler,
  });
  return { client, seen };
}

/** The members of `actual` named in `expected`: the SDK adds checksum and length headers we do not pin. */
function pick(actual: Record<string, unknown> | undefined, expected: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(expected).map((key) => [key, actual?.[key]]));
}

// ---------------------------------------------------------------------------------------------------------
// Round trips through the SDK, in both addressing styles
// ---------------------------------------------------------------------------------------------------------

const BUCKET = 'nimbus-bucket';
const modified = new Date('2024-05-06T07:08:09.000Z');

interface RoundTrip {
  name: string;
  send: (client: S3Client) => Promise<unknown>;
  operation: string;
  /** Members the parsed input must have (others, such as SDK-added checksums, are not compared). */
  input: Record<string, unknown>;
  output?: Record<string, unknown>;
  status: number;
  check?: (result: Record<string, unknown>, seen: SdkSeen) => Promise<void> | void;
}

const roundTrips: RoundTrip[] = [
  {
    name: 'CreateBucket with a CreateBucketConfiguration XML payload',
    send: (client) => client.send(new CreateBucketCommand({ Bucket: BUCKET, ACL: 'private', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })),
    operation: 'CreateBucket',
    input: { Bucket: BUCKET, ACL: 'private', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } },
    output: { Location: `/${BUCKET}` },
    status: 200,
    check: (result) => { assert.equal(result.Location, `/${BUCKET}`); },
  },
  {
    name: 'PutObject: raw body, metadata headers, content type, awkward key',
    send: (client) =>
      client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: 'dir/ünï cödé+%.txt', Body: 'hello world', ContentType: 'text/plain', Metadata: { color: 'blue', 'x-y': 'z' } }),
      ),
    operation: 'PutObject',
    input: { Bucket: BUCKET, Key: 'dir/ünï cödé+%.txt', Body: Buffer.from('hello world'), ContentType: 'text/plain', Metadata: { color: 'blue', 'x-y': 'z' } },
    output: { ETag: '"5eb63bbbe01eeed093cb22bb8f5acdc3"', VersionId: 'v1' },
    status: 200,
    check: (result) => {
      assert.equal(result.ETag, '"5eb63bbbe01eeed093cb22bb8f5acdc3"');
      assert.equal(result.VersionId, 'v1');
    },
  },
  {
    name: 'PutObject: a streamed body arrives aws-chunked and is decoded, trailer checksum included',
    send: (client) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'streamed.bin', Body: Readable.from([Buffer.from('streamed '), Buffer.from('data')]), ContentLength: 13 })),
    operation: 'PutObject',
    input: { Bucket: BUCKET, Key: 'streamed.bin', Body: Buffer.from('streamed data'), ContentLength: 13, ContentEncoding: undefined },
    output: { ETag: '"e1"' },
    status: 200,
    check: (_result, seen) => {
      assert.equal(seen.request?.headers['content-encoding'], 'aws-chunked');
      assert.match(String(seen.input?.ChecksumCRC32), /^[A-Za-z0-9+/]+=*$/);
    },
  },
  {
    name: 'PutObject: a key with a leading slash keeps it (greedy label, empty segment)',
    send: (client) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key: '/rooted//twice', Body: 'x' })),
    operation: 'PutObject',
    input: { Bucket: BUCKET, Key: '/rooted//twice', Body: Buffer.from('x') },
    output: {},
    status: 200,
  },
  {
    name: 'GetObject with Range: streamed body, Last-Modified and ETag headers, 206',
    send: (client) => client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'dir/a.txt', Range: 'bytes=0-4' })),
    operation: 'GetObject',
    input: { Bucket: BUCKET, Key: 'dir/a.txt', Range: 'bytes=0-4' },
    output: {
      Body: Buffer.from('hello'),
      ContentType: 'text/plain',
      ContentLength: 5,
      ContentRange: 'bytes 0-4/11',
      ETag: '"abc"',
      LastModified: modified,
      Metadata: { color: 'blue' },
      AcceptRanges: 'bytes',
    },
    status: 206,
    check: async (result, seen) => {
      assert.equal(await (result.Body as { transformToString: () => Promise<string> }).transformToString(), 'hello');
      assert.equal(result.ContentType, 'text/plain');
      assert.equal(result.ContentLength, 5);
      assert.equal(result.ContentRange, 'bytes 0-4/11');
      assert.equal(result.ETag, '"abc"');
      assert.deepEqual(result.LastModified, modified);
      assert.deepEqual(result.Metadata, { color: 'blue' });
      assert.equal(seen.response?.headers['last-modified'], 'Mon, 06 May 2024 07:08:09 GMT');
    },
  },
  {
    name: 'HeadObject: headers only, no body',
    send: (client) => client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'dir/a.txt', IfModifiedSince: modified })),
    operation: 'HeadObject',
    input: { Bucket: BUCKET, Key: 'dir/a.txt', IfModifiedSince: modified },
    output: { ContentLength: 11, ContentType: 'text/plain', ETag: '"abc"', LastModified: modified, Metadata: { color: 'blue' } },
    status: 200,
    check: (result, seen) => {
      assert.equal(result.ContentLength, 11);
      assert.deepEqual(result.LastModified, modified);
      assert.deepEqual(result.Metadata, { color: 'blue' });
      assert.equal(seen.response?.body, '');
    },
  },
  {
    name: 'ListObjectsV2: routed by ?list-type=2, query members converted, flattened Contents out',
    send: (client) => client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'dir/', Delimiter: '/', MaxKeys: 10, ContinuationToken: 'token', FetchOwner: true })),
    operation: 'ListObjectsV2',
    input: { Bucket: BUCKET, Prefix: 'dir/', Delimiter: '/', MaxKeys: 10, ContinuationToken: 'token', FetchOwner: true },
    output: {
      Name: BUCKET,
      Prefix: 'dir/',
      KeyCount: 2,
      MaxKeys: 10,
      IsTruncated: false,
      Contents: [
        { Key: 'dir/a.txt', LastModified: modified, ETag: '"abc"', Size: 11, StorageClass: 'STANDARD' },
        { Key: 'dir/b&c.txt', LastModified: modified, ETag: '"def"', Size: 0, StorageClass: 'STANDARD' },
      ],
      CommonPrefixes: [{ Prefix: 'dir/sub/' }],
    },
    status: 200,
    check: (result, seen) => {
      const contents = result.Contents as Record<string, unknown>[];
      assert.deepEqual(
        contents.map((item) => item.Key),
        ['dir/a.txt', 'dir/b&c.txt'],
      );
      assert.deepEqual(contents[0].LastModified, modified);
      assert.equal(contents[0].Size, 11);
      assert.equal(result.KeyCount, 2);
      assert.equal(result.IsTruncated, false);
      assert.deepEqual(result.CommonPrefixes, [{ Prefix: 'dir/sub/' }]);
      assert.match(String(seen.response?.body), /^<\?xml version="1.0" encoding="UTF-8"\?><ListBucketResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
    },
  },
  {
    name: 'ListObjects (v1): no list-type, so not ListObjectsV2',
    send: (client) => client.send(new ListObjectsCommand({ Bucket: BUCKET, Marker: 'dir/a.txt' })),
    operation: 'ListObjects',
    input: { Bucket: BUCKET, Marker: 'dir/a.txt' },
    output: { Name: BUCKET, IsTruncated: true, NextMarker: 'dir/b.txt', Contents: [{ Key: 'dir/b.txt', Size: 1 }] },
    status: 200,
    check: (result) => {
      assert.equal(result.IsTruncated, true);
      assert.equal(result.NextMarker, 'dir/b.txt');
    },
  },
  {
    name: 'ListBuckets: ListAllMyBucketsResult document in the S3 namespace',
    send: (client) => client.send(new ListBucketsCommand({})),
    operation: 'ListBuckets',
    input: {},
    output: { Buckets: [{ Name: 'a-bucket', CreationDate: modified }, { Name: 'b-bucket', CreationDate: modified }], Owner: { ID: 'owner-id', DisplayName: 'me' } },
    status: 200,
    check: (result, seen) => {
      assert.deepEqual(result.Buckets, [
        { Name: 'a-bucket', CreationDate: modified },
        { Name: 'b-bucket', CreationDate: modified },
      ]);
      assert.deepEqual(result.Owner, { ID: 'owner-id', DisplayName: 'me' });
      assert.equal(
        seen.response?.body,
        `<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult xmlns="${S3_NS}"><Buckets><Bucket><Name>a-bucket</Name><CreationDate>2024-05-06T07:08:09.000Z</CreationDate></Bucket><Bucket><Name>b-bucket</Name><CreationDate>2024-05-06T07:08:09.000Z</CreationDate></Bucket></Buckets><Owner><DisplayName>me</DisplayName><ID>owner-id</ID></Owner></ListAllMyBucketsResult>`,
      );
      assert.equal(seen.response?.headers['content-type'], 'application/xml');
      assert.equal(seen.response?.headers['x-amz-request-id'], 'req-1');
    },
  },
  {
    name: 'DeleteObjects: flattened <Object> list in, flattened Deleted/Error lists out',
    send: (client) => client.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'a' }, { Key: 'b&c', VersionId: 'v2' }], Quiet: false } })),
    operation: 'DeleteObjects',
    input: { Bucket: BUCKET, Delete: { Objects: [{ Key: 'a' }, { Key: 'b&c', VersionId: 'v2' }], Quiet: false } },
    output: { Deleted: [{ Key: 'a' }], Errors: [{ Key: 'b&c', VersionId: 'v2', Code: 'AccessDenied', Message: 'Access Denied' }] },
    status: 200,
    check: (result) => {
      assert.deepEqual(result.Deleted, [{ Key: 'a' }]);
      assert.deepEqual(result.Errors, [{ Key: 'b&c', VersionId: 'v2', Code: 'AccessDenied', Message: 'Access Denied' }]);
    },
  },
  {
    name: 'PutBucketTagging: <TagSet><Tag> list in the Tagging payload',
    send: (client) =>
      client.send(
        new PutBucketTaggingCommand({
          Bucket: BUCKET,
          Tagging: {
            TagSet: [
              { Key: 'env', Value: 'dev' },
              { Key: 'team', Value: '<core>' },
            ],
          },
        }),
      ),
    operation: 'PutBucketTagging',
    input: {
      Bucket: BUCKET,
      Tagging: {
        TagSet: [
          { Key: 'env', Value: 'dev' },
          { Key: 'team', Value: '<core>' },
        ],
      },
    },
    status: 200,
  },
  {
    name: 'GetBucketAcl: AccessControlPolicy with xsi:type attributes',
    send: (client) => client.send(new GetBucketAclCommand({ Bucket: BUCKET })),
    operation: 'GetBucketAcl',
    input: { Bucket: BUCKET },
    output: {
      Owner: { ID: 'owner-id', DisplayName: 'me' },
      Grants: [
        { Grantee: { Type: 'CanonicalUser', ID: 'owner-id', DisplayName: 'me' }, Permission: 'FULL_CONTROL' },
        { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
      ],
    },
    status: 200,
    check: (result, seen) => {
      assert.deepEqual(result.Owner, { ID: 'owner-id', DisplayName: 'me' });
      assert.deepEqual(result.Grants, [
        { Grantee: { Type: 'CanonicalUser', ID: 'owner-id', DisplayName: 'me' }, Permission: 'FULL_CONTROL' },
        { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
      ]);
      assert.match(String(seen.response?.body), /<AccessControlPolicy xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/"><Owner>/);
      assert.match(String(seen.response?.body), /<AccessControlList><Grant><Grantee xmlns:xsi="http:\/\/www\.w3\.org\/2001\/XMLSchema-instance" xsi:type="CanonicalUser">/);
    },
  },
  {
    name: 'GetBucketLocation: the region is the text of <LocationConstraint>',
    send: (client) => client.send(new GetBucketLocationCommand({ Bucket: BUCKET })),
    operation: 'GetBucketLocation',
    input: { Bucket: BUCKET },
    output: { LocationConstraint: 'eu-west-1' },
    status: 200,
    check: (result, seen) => {
      assert.equal(result.LocationConstraint, 'eu-west-1');
      assert.equal(seen.response?.body, `<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns="${S3_NS}">eu-west-1</LocationConstraint>`);
    },
  },
  {
    name: 'CreateMultipartUpload: ?uploads, InitiateMultipartUploadResult out',
    send: (client) => client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'big.bin', ContentType: 'application/zip' })),
    operation: 'CreateMultipartUpload',
    input: { Bucket: BUCKET, Key: 'big.bin', ContentType: 'application/zip' },
    output: { Bucket: BUCKET, Key: 'big.bin', UploadId: 'up-1' },
    status: 200,
    check: (result, seen) => {
      assert.equal(result.UploadId, 'up-1');
      assert.match(String(seen.response?.body), /<InitiateMultipartUploadResult xmlns=/);
    },
  },
  {
    name: 'UploadPart: PUT /{Bucket}/{Key+} with partNumber and uploadId is not PutObject',
    send: (client) => client.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'big.bin', UploadId: 'up-1', PartNumber: 2, Body: 'part two' })),
    operation: 'UploadPart',
    input: { Bucket: BUCKET, Key: 'big.bin', UploadId: 'up-1', PartNumber: 2, Body: Buffer.from('part two') },
    output: { ETag: '"p2"' },
    status: 200,
    check: (result) => { assert.equal(result.ETag, '"p2"'); },
  },
  {
    name: 'ListParts: GET /{Bucket}/{Key+} with uploadId is not GetObject',
    send: (client) => client.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'big.bin', UploadId: 'up-1', MaxParts: 100 })),
    operation: 'ListParts',
    input: { Bucket: BUCKET, Key: 'big.bin', UploadId: 'up-1', MaxParts: 100 },
    output: { Bucket: BUCKET, Key: 'big.bin', UploadId: 'up-1', Parts: [{ PartNumber: 1, ETag: '"p1"', Size: 5, LastModified: modified }], IsTruncated: false },
    status: 200,
    check: (result) => { assert.deepEqual(result.Parts, [{ PartNumber: 1, ETag: '"p1"', Size: 5, LastModified: modified }]); },
  },
  {
    name: 'CompleteMultipartUpload: flattened <Part> list in the MultipartUpload payload',
    send: (client) =>
      client.send(
        new CompleteMultipartUploadCommand({
          Bucket: BUCKET,
          Key: 'big.bin',
          UploadId: 'up-1',
          MultipartUpload: {
            Parts: [
              { PartNumber: 1, ETag: '"p1"' },
              { PartNumber: 2, ETag: '"p2"' },
            ],
          },
        }),
      ),
    operation: 'CompleteMultipartUpload',
    input: {
      Bucket: BUCKET,
      Key: 'big.bin',
      UploadId: 'up-1',
      MultipartUpload: {
        Parts: [
          { PartNumber: 1, ETag: '"p1"' },
          { PartNumber: 2, ETag: '"p2"' },
        ],
      },
    },
    output: { Bucket: BUCKET, Key: 'big.bin', ETag: '"final-2"', Location: `http://localhost/${BUCKET}/big.bin` },
    status: 200,
    check: (result) => { assert.equal(result.ETag, '"final-2"'); },
  },
  {
    name: 'AbortMultipartUpload: DELETE with uploadId is not DeleteObject; 204 from the model',
    send: (client) => client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'big.bin', UploadId: 'up-1' })),
    operation: 'AbortMultipartUpload',
    input: { Bucket: BUCKET, Key: 'big.bin', UploadId: 'up-1' },
    output: {},
    status: 204,
  },
  {
    name: 'CopyObject: the x-amz-copy-source header tells it from PutObject; CopyObjectResult payload',
    send: (client) => client.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy.txt', CopySource: `${BUCKET}/dir/a.txt`, MetadataDirective: 'COPY' })),
    operation: 'CopyObject',
    input: { Bucket: BUCKET, Key: 'copy.txt', CopySource: `${BUCKET}/dir/a.txt`, MetadataDirective: 'COPY' },
    output: { CopyObjectResult: { ETag: '"abc"', LastModified: modified } },
    status: 200,
    check: (result) => { assert.deepEqual(result.CopyObjectResult, { ETag: '"abc"', LastModified: modified }); },
  },
];

for (const addressing of ['path-style', 'virtual-hosted'] as const) {
  describe(`rest-xml codec with the S3 SDK (${addressing})`, () => {
    for (const trip of roundTrips) {
      it(trip.name, async () => {
        const { client, seen } = fakeS3(addressing, { output: trip.output });
        const result = (await trip.send(client)) as Record<string, unknown> & { $metadata: { httpStatusCode?: number; requestId?: string } };
        const bucketInHost = seen.request?.host.startsWith(`${BUCKET}.`) ?? false;
        assert.equal(bucketInHost, addressing === 'virtual-hosted' && trip.operation !== 'ListBuckets', 'the SDK used the addressing style under test');
        assert.equal(seen.operation, trip.operation);
        assert.deepEqual(pick(seen.input, trip.input), trip.input);
        assert.equal(result.$metadata.httpStatusCode, trip.status);
        assert.equal(result.$metadata.requestId, 'req-1');
        await trip.check?.(result, seen);
      });
    }

    it('serializes NoSuchKey so the SDK raises its NoSuchKey class', async () => {
      const { client, seen } = fakeS3(addressing, { error: new ServiceError('NoSuchKey', 'The specified key does not exist.', undefined, { Key: 'missing.txt' }) });
      const thrown = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'missing.txt' })).then(
        () => assert.fail('expected an error'),
        (caught: unknown) => caught,
      );
      assert.ok(thrown instanceof NoSuchKey);
      assert.equal(thrown.message, 'The specified key does not exist.');
      assert.equal(thrown.$metadata.httpStatusCode, 404);
      assert.equal(thrown.$metadata.requestId, 'req-1');
      assert.equal(
        seen.response?.body,
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>missing.txt</Key><RequestId>req-1</RequestId></Error>',
      );
    });

    it('serializes NoSuchBucket so the SDK raises its NoSuchBucket class', async () => {
      const { client } = fakeS3(addressing, { error: new ServiceError('NoSuchBucket', 'The specified bucket does not exist', undefined, { BucketName: BUCKET }) });
      const thrown = await client.send(new ListObjectsV2Command({ Bucket: BUCKET })).then(
        () => assert.fail('expected an error'),
        (caught: unknown) => caught,
      );
      assert.ok(thrown instanceof NoSuchBucket);
      assert.equal(thrown.message, 'The specified bucket does not exist');
      assert.equal((thrown as NoSuchBucket & { BucketName?: string }).BucketName, BUCKET);
    });

    it('answers an error to HEAD without a body: the SDK reads the status (NotFound)', async () => {
      const { client, seen } = fakeS3(addressing, { error: new ServiceError('NoSuchKey', 'The specified key does not exist.') });
      const thrown = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'missing.txt' })).then(
        () => assert.fail('expected an error'),
        (caught: unknown) => caught,
      );
      assert.ok(thrown instanceof NotFound);
      assert.equal(thrown.$metadata.httpStatusCode, 404);
      assert.equal(seen.response?.body, '');
    });

    it('answers a malformed XML payload with MalformedXML', async () => {
      // The SDK writes well-formed XML, so the request is spoiled on its way to the codec.
      const spoil = (wire: WireRequest): WireRequest => ({ ...wire, body: Buffer.from('<Tagging><TagSet><Tag><Key>a</Key></TagSet></Tagging>') });
      const { client, seen } = fakeS3(addressing, {}, spoil);
      const thrown = await client.send(new PutBucketTaggingCommand({ Bucket: BUCKET, Tagging: { TagSet: [] } })).then(
        () => assert.fail('expected an error'),
        (caught: unknown) => caught as Error & { $metadata: { httpStatusCode?: number } },
      );
      assert.equal(thrown.name, 'MalformedXML');
      assert.equal(thrown.message, 'The XML you provided was not well-formed or did not validate against our published schema');
      assert.equal(thrown.$metadata.httpStatusCode, 400);
      assert.equal(seen.operation, 'PutBucketTagging');
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// Wire-level details
// ---------------------------------------------------------------------------------------------------------

describe('rest-xml routing (S3)', () => {
  const cases: [method: string, pathAndQuery: string, host: string, operation: string | undefined][] = [
    ['GET', '/', 'localhost:4566', 'ListBuckets'],
    ['GET', '/?x-id=ListDirectoryBuckets', 'localhost:4566', 'ListDirectoryBuckets'],
    ['GET', '/b', 'localhost:4566', 'ListObjects'],
    ['GET', '/b/', 'localhost:4566', 'ListObjects'],
    ['GET', '/b?list-type=2', 'localhost:4566', 'ListObjectsV2'],
    ['GET', '/b?list-type=3', 'localhost:4566', 'ListObjects'],
    ['GET', '/b?acl', 'localhost:4566', 'GetBucketAcl'],
    ['GET', '/b?lifecycle', 'localhost:4566', 'GetBucketLifecycleConfiguration'],
    ['GET', '/b?analytics', 'localhost:4566', 'ListBucketAnalyticsConfigurations'],
    ['GET', '/b?analytics&id=x', 'localhost:4566', 'GetBucketAnalyticsConfiguration'],
    ['PUT', '/b', 'localhost:4566', 'CreateBucket'],
    ['PUT', '/b?tagging', 'localhost:4566', 'PutBucketTagging'],
    ['HEAD', '/b', 'localhost:4566', 'HeadBucket'],
    ['GET', '/b/k', 'localhost:4566', 'GetObject'],
    ['GET', '/b/dir/k/', 'localhost:4566', 'GetObject'],
    ['GET', '/b/k?acl', 'localhost:4566', 'GetObjectAcl'],
    ['GET', '/b/k?uploadId=u', 'localhost:4566', 'ListParts'],
    ['PUT', '/b/k', 'localhost:4566', 'PutObject'],
    ['PUT', '/b/k?partNumber=1&uploadId=u', 'localhost:4566', 'UploadPart'],
    ['POST', '/b/k?uploads', 'localhost:4566', 'CreateMultipartUpload'],
    ['POST', '/b/k?select&select-type=2', 'localhost:4566', 'SelectObjectContent'],
    ['POST', '/b?delete', 'localhost:4566', 'DeleteObjects'],
    ['DELETE', '/b/k', 'localhost:4566', 'DeleteObject'],
    ['DELETE', '/b/k?uploadId=u', 'localhost:4566', 'AbortMultipartUpload'],
    ['GET', '/', 'b.s3.localhost:4566', 'ListObjects'],
    ['GET', '/?list-type=2', 'b.s3.amazonaws.com', 'ListObjectsV2'],
    ['GET', '/k', 'my.dotted.bucket.s3.us-east-1.amazonaws.com', 'GetObject'],
    ['PUT', '/', 'b.s3.localhost', 'CreateBucket'],
    ['GET', '/', 's3.localhost:4566', 'ListBuckets'],
    ['PATCH', '/b/k', 'localhost:4566', undefined],
  ];
  for (const [method, pathAndQuery, host, operation] of cases) {
    it(`${method} ${host}${pathAndQuery} -> ${operation ?? 'no operation'}`, () => {
      assert.equal(restXmlProtocol.resolveOperation(s3, restWireRequest(method, pathAndQuery, '', {}, host))?.name, operation);
    });
  }

  it('takes labels from a virtual-hosted request: bucket from the host, greedy key with its slashes', () => {
    const wire = restWireRequest('GET', '/dir/sub%2Fx/%E2%9C%93.txt', '', {}, 'my.bucket.s3.localhost:4566');
    const operation = restXmlProtocol.resolveOperation(s3, wire);
    assert.ok(operation);
    assert.deepEqual(pick(restXmlProtocol.parseInput(s3, operation, wire), { Bucket: 0, Key: 0 }), { Bucket: 'my.bucket', Key: 'dir/sub/x/✓.txt' });
  });

  it('finds bucket names in virtual-hosted hosts only', () => {
    assert.equal(bucketFromHost('my-bucket.s3.localhost:4566'), 'my-bucket');
    assert.equal(bucketFromHost('my.bucket.s3.amazonaws.com'), 'my.bucket');
    assert.equal(bucketFromHost('b.s3.eu-west-1.amazonaws.com'), 'b');
    assert.equal(bucketFromHost('b.s3-eu-west-1.amazonaws.com'), 'b');
    assert.equal(bucketFromHost('s3.localhost:4566'), undefined);
    assert.equal(bucketFromHost('localhost:4566'), undefined);
    assert.equal(bucketFromHost('127.0.0.1:4566'), undefined);
  });

  it('answers a method the path does not allow with MethodNotAllowed, and an unroutable path with NotImplemented', () => {
    const patch = restWireRequest('PATCH', '/b/k');
    assert.equal(restXmlProtocol.resolveOperation(s3, patch), undefined);
    const notAllowed = restXmlProtocol.unknownOperationError(patch);
    assert.equal(notAllowed.code, 'MethodNotAllowed');
    assert.equal(notAllowed.status, 405);
    assert.match(notAllowed.message, /PATCH \/b\/k/);
    const garbled = restWireRequest('GET', '/b/%E0%A4%A');
    assert.equal(restXmlProtocol.resolveOperation(s3, garbled), undefined);
    const notImplemented = restXmlProtocol.unknownOperationError(garbled);
    assert.equal(notImplemented.code, 'NotImplemented');
    assert.equal(notImplemented.status, 501);
    assert.match(notImplemented.message, /GET \/b\/%E0%A4%A/);
  });
});

describe('rest-xml input and errors (S3)', () => {
  const parse = (method: string, pathAndQuery: string, body = '', headers: Record<string, string> = {}): Record<string, unknown> => {
    const wire = restWireRequest(method, pathAndQuery, body, headers);
    const operation = restXmlProtocol.resolveOperation(s3, wire);
    assert.ok(operation);
    return restXmlProtocol.parseInput(s3, operation, wire);
  };
  const s3Error = (code: string) => (error: unknown) => error instanceof ServiceError && error.code === code && error.status === 400;

  it('rejects a query-string number that is not one with InvalidArgument', () => {
    assert.throws(() => parse('GET', '/b?list-type=2&max-keys=many'), s3Error('InvalidArgument'));
  });

  it('rejects XML whose values do not fit the shape with MalformedXML', () => {
    assert.throws(() => parse('POST', '/b?delete', '<Delete><Object><Key>a</Key></Object><Quiet>maybe</Quiet></Delete>'), s3Error('MalformedXML'));
  });

  it('rejects a broken aws-chunked body with IncompleteBody', () => {
    assert.throws(() => parse('PUT', '/b/k', 'zz\r\nhello', { 'content-encoding': 'aws-chunked' }), s3Error('IncompleteBody'));
  });

  it('decodes signed aws-chunked bodies and their trailers', () => {
    const body = Buffer.from('5;chunk-signature=abc\r\nhello\r\n6;chunk-signature=def\r\n world\r\n0;chunk-signature=ghi\r\nx-amz-checksum-crc32:AAAA\r\nx-amz-trailer-signature:sig\r\n\r\n');
    assert.deepEqual(decodeAwsChunked(body), { payload: Buffer.from('hello world'), trailers: { 'x-amz-checksum-crc32': 'AAAA' } });
  });

  it('answers with InvalidArgument where a constraint fails', () => {
    assert.equal(restXmlProtocol.validationErrorCode, 'InvalidArgument');
    assert.equal(restXmlValidationErrorCode(s3), 'InvalidArgument');
    const response = restXmlProtocol.serializeError(s3, new ValidationFailure('Bucket name too short'), context);
    assert.equal(response.status, 400);
    assert.match(String(response.body), /<Code>InvalidArgument<\/Code><Message>Bucket name too short<\/Message>/);
  });

  it('writes an output without body members as an empty body', () => {
    const response = restXmlProtocol.serializeOutput(s3, s3.operations.PutObject, { ETag: '"e"' }, context);
    assert.deepEqual(response, { status: 200, headers: { etag: '"e"', 'x-amz-request-id': 'req-1' }, body: '' });
  });
});

/** A non-S3 restXml model: errors use <ErrorResponse>, bodies without a payload member, attributes, maps. */
const genericModel: ServiceModel = {
  metadata: { protocol: 'rest-xml', apiVersion: '2020-01-01', endpointPrefix: 'generic', serviceId: 'Generic', xmlNamespace: 'https://generic.example/doc/2020-01-01/' },
  operations: {
    PutThing: { name: 'PutThing', http: { method: 'POST', requestUri: '/things/{Name}', responseCode: 201 }, input: { shape: 'PutThingRequest' }, output: { shape: 'PutThingResponse' } },
  },
  shapes: {
    PutThingRequest: {
      type: 'structure',
      required: ['Name'],
      members: {
        Name: { shape: 'String', location: 'uri', locationName: 'Name' },
        Id: { shape: 'Integer', xmlAttribute: true, locationName: 'id' },
        Enabled: { shape: 'Boolean' },
        Created: { shape: 'Timestamp' },
        Data: { shape: 'Blob' },
        Ratio: { shape: 'Double' },
        Labels: { shape: 'Labels' },
        Flat: { shape: 'FlatMap', locationName: 'Pair' },
        Items: { shape: 'ItemList' },
        Notes: { shape: 'FlatNotes', locationName: 'Note' },
      },
      locationName: 'PutThingRequest',
    },
    PutThingResponse: { type: 'structure', members: { Id: { shape: 'Integer' }, Labels: { shape: 'Labels' } } },
    String: { type: 'string' },
    Integer: { type: 'integer' },
    Boolean: { type: 'boolean' },
    Double: { type: 'double' },
    Timestamp: { type: 'timestamp' },
    Blob: { type: 'blob' },
    Labels: { type: 'map', key: { shape: 'String' }, value: { shape: 'String' } },
    FlatMap: { type: 'map', key: { shape: 'String', locationName: 'K' }, value: { shape: 'String', locationName: 'V' }, flattened: true },
    ItemList: { type: 'list', member: { shape: 'String', locationName: 'Item' } },
    FlatNotes: { type: 'list', member: { shape: 'String' }, flattened: true },
    ThingMissing: { type: 'structure', members: { Name: { shape: 'String' }, message: { shape: 'String' } }, error: { httpStatusCode: 404 }, exception: true },
  },
};

describe('rest-xml with a non-S3 model', () => {
  it('reads body members from the root element by shape', () => {
    const body = `<?xml version="1.0"?>
      <PutThingRequest xmlns="https://generic.example/doc/2020-01-01/" id="7">
        <Enabled>true</Enabled>
        <Created>2024-05-06T07:08:09Z</Created>
        <Data>${Buffer.from('bytes').toString('base64')}</Data>
        <Ratio>0.5</Ratio>
        <Labels><entry><key>a</key><value>1 &amp; 2</value></entry><entry><key>b</key><value><![CDATA[<b>]]></value></entry></Labels>
        <Pair><K>x</K><V>y</V></Pair><Pair><K>z</K><V>w</V></Pair>
        <Items><Item> padded </Item><Item>&#x2713;&#13;</Item></Items>
        <Note>one</Note><Note>two</Note>
      </PutThingRequest>`;
    const wire = restWireRequest('POST', '/things/t%201', body, {}, 'generic.localhost');
    const operation = restXmlProtocol.resolveOperation(genericModel, wire);
    assert.equal(operation?.name, 'PutThing');
    assert.deepEqual(restXmlProtocol.parseInput(genericModel, operation, wire), {
      Name: 't 1',
      Id: 7,
      Enabled: true,
      Created: modified,
      Data: Buffer.from('bytes'),
      Ratio: 0.5,
      Labels: { a: '1 & 2', b: '<b>' },
      Flat: { x: 'y', z: 'w' },
      Items: [' padded ', '✓\r'],
      Notes: ['one', 'two'],
    });
  });

  it('writes the output document named after the output shape, in the service namespace', () => {
    const response = restXmlProtocol.serializeOutput(genericModel, genericModel.operations.PutThing, { Id: 7, Labels: { a: 'b' } }, context);
    assert.equal(response.status, 201);
    assert.equal(
      response.body,
      '<?xml version="1.0" encoding="UTF-8"?><PutThingResponse xmlns="https://generic.example/doc/2020-01-01/"><Id>7</Id><Labels><entry><key>a</key><value>b</value></entry></Labels></PutThingResponse>',
    );
    assert.equal(response.headers['x-amz-request-id'], undefined);
  });

  it('writes errors as <ErrorResponse> with the error shape members', () => {
    const response = restXmlProtocol.serializeError(genericModel, new ServiceError('ThingMissing', 'No thing named t', undefined, { Name: 't' }), context);
    assert.equal(response.status, 404);
    assert.equal(
      response.body,
      '<?xml version="1.0" encoding="UTF-8"?><ErrorResponse xmlns="https://generic.example/doc/2020-01-01/"><Error><Type>Sender</Type><Code>ThingMissing</Code><Message>No thing named t</Message><Name>t</Name></Error><RequestId>req-1</RequestId></ErrorResponse>',
    );
    assert.equal(restXmlValidationErrorCode(genericModel), 'ValidationError');
  });

  it('names the malformed part of a document outside S3', () => {
    const wire = restWireRequest('POST', '/things/t', '<PutThingRequest><Enabled>1</Enabled></PutThingRequest>');
    assert.throws(
      () => restXmlProtocol.parseInput(genericModel, genericModel.operations.PutThing, wire),
      (error: unknown) => error instanceof ServiceError && error.code === 'MalformedXML' && /Enabled/.test(error.message),
    );
  });
});

describe('xml-reader', () => {
  const malformed = ['<a><b></a>', 'not xml', '<a>', '<a/><b/>', '<a>x</a>trailing', '<a>&bogus;</a>', '<a>fish & chips</a>', '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', ''];
  for (const text of malformed) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.throws(() => parseXmlDocument(text), XmlReadError);
    });
  }

  it('keeps text untrimmed and decodes entities and character references', () => {
    const root = parseXmlDocument('<r a="&quot;x&quot;"> a &lt;&gt;&amp;&apos;&#65;&#x42; <c/></r>');
    assert.equal(root.text, ' a <>&\'AB ');
    assert.deepEqual(root.attributes, { a: '"x"' });
    assert.deepEqual(
      root.children.map((child) => child.name),
      ['c'],
    );
  });

  it('reads S3 documents by shape, ignoring unknown elements', () => {
    const tagging = readXmlDocument(s3, 'Tagging', `<Tagging xmlns="${S3_NS}"><TagSet><Tag><Key>k</Key><Value></Value><Extra>ignored</Extra></Tag></TagSet><Unknown/></Tagging>`);
    assert.deepEqual(tagging, { TagSet: [{ Key: 'k', Value: '' }] });
  });

  it('names the member whose value has the wrong type', () => {
    assert.throws(
      () => readXmlDocument(s3, 'Delete', '<Delete><Object><Key>a</Key><Size>big</Size></Object></Delete>'),
      (error: unknown) => error instanceof XmlReadError && /Objects\[0\]\.Size/.test(error.message),
    );
  });
});
