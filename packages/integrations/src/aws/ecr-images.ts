/**
 * The images in Drop's ECR repository, oldest push first: the DR runbook's
 * `aws ecr describe-images --query 'sort_by(imageDetails,& imagePushedAt)[-5:]'` (scenario 1B, 4)
 * and the rollback's choice of the image pushed before the running one.
 */
import { DescribeImagesCommand, type DescribeImagesCommandInput } from '@aws-sdk/client-ecr';
import { type AwsCall, type AwsClients, type AwsSettings, sendAws } from './clients.ts';

export interface ImageView {
  digest: string;
  tags: string[];
  pushedAt: Date | undefined;
  sizeBytes: number | undefined;
}

function describeInput(repository: string, nextToken?: string): DescribeImagesCommandInput {
  return { repositoryName: repository, ...(nextToken ? { nextToken } : {}) };
}

/** Every image of the repository (default: the setting), sorted by imagePushedAt, oldest first. */
export async function listImages(aws: AwsClients, options: { repository?: string; region?: string } = {}): Promise<ImageView[]> {
  const repository = options.repository ?? aws.settings.ecrRepository;
  const region = options.region ?? aws.settings.region;
  const images: ImageView[] = [];
  let nextToken: string | undefined;
  do {
    const input = describeInput(repository, nextToken);
    const page = await sendAws(aws, { service: 'ecr', operation: 'DescribeImages', region, input: { ...input } }, () =>
      aws.ecr(region).send(new DescribeImagesCommand(input)),
    );
    for (const detail of page.imageDetails ?? []) {
      images.push({
        digest: detail.imageDigest ?? '',
        tags: detail.imageTags ?? [],
        pushedAt: detail.imagePushedAt,
        sizeBytes: detail.imageSizeInBytes,
      });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return images.sort((a, b) => (a.pushedAt?.getTime() ?? 0) - (b.pushedAt?.getTime() ?? 0));
}

export function planListImages(settings: AwsSettings, note?: string): AwsCall {
  return {
    service: 'ecr',
    operation: 'DescribeImages',
    region: settings.region,
    input: { ...describeInput(settings.ecrRepository) },
    ...(note ? { note } : {}),
  };
}

/** The tag or digest an App Runner image identifier names (`…/drop-web:abc1234`, `…/drop-web@sha256:…`). */
export function imageReference(imageIdentifier: string): { repositoryUri: string; tag?: string; digest?: string } {
  const at = imageIdentifier.indexOf('@');
  if (at >= 0) return { repositoryUri: imageIdentifier.slice(0, at), digest: imageIdentifier.slice(at + 1) };
  const lastSlash = imageIdentifier.lastIndexOf('/');
  const colon = imageIdentifier.indexOf(':', lastSlash + 1);
  if (colon < 0) return { repositoryUri: imageIdentifier, tag: 'latest' };
  return { repositoryUri: imageIdentifier.slice(0, colon), tag: imageIdentifier.slice(colon + 1) };
}

/** Whether `image` is the one `reference` names. */
export function isImage(image: ImageView, reference: { tag?: string; digest?: string }): boolean {
  return reference.digest ? image.digest === reference.digest : image.tags.includes(reference.tag ?? '');
}
