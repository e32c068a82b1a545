/**
 * The image repository 324480209768.dkr.ecr.eu-west-1.amazonaws.com/drop-web, and its replication to
 * the DR region (DR scenario 4, step 3: the image is already there when eu-west-1 is not).
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import { imageLifecyclePolicy } from './image-lifecycle.ts';
import { names } from './names.ts';

export class ImageRepository extends Construct {
  readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props: { drRegion: string }) {
    super(scope, id);

    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: names.service,
      // Tags are commit SHAs: a tag always means the same image, so a rollback deploys what was tested.
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.AES_256,
      // Production's images (and the repository the runbooks name) outlive the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const cfnRepository = this.repository.node.defaultChild as ecr.CfnRepository;
    // One policy text for this repository and the DR replica's creation template.
    cfnRepository.lifecyclePolicy = { lifecyclePolicyText: JSON.stringify(imageLifecyclePolicy) };
    // A stable logical id for adopting the existing repository (README, "Adopting the existing production").
    cfnRepository.overrideLogicalId('DropWebRepository');

    // Registry-wide (one replication configuration per account and region): every push of a
    // drop-web image is copied to the DR region, where DropDisasterRecovery's creation template
    // gives the replica the same settings.
    new ecr.CfnReplicationConfiguration(this, 'Replication', {
      replicationConfiguration: {
        rules: [
          {
            destinations: [{ region: props.drRegion, registryId: Stack.of(this).account }],
            repositoryFilters: [{ filter: names.service, filterType: 'PREFIX_MATCH' }],
          },
        ],
      },
    });
  }
}
