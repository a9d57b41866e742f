/** Amazon Resource Names: arn:partition:service:region:account-id:resource */
export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function formatArn({ partition = 'aws', service, region, account, resource }: Omit<Arn, 'partition'> & { partition?: string }): string {
  return `arn:${partition}:${service}:${region}:${account}:${resource}`;
}

export function parseArn(arn: string): Arn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, account, ...resource] = parts;
  return { partition, service, region, account, resource: resource.join(':') };
}
