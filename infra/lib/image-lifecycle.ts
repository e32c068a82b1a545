/**
 * The ECR lifecycle policy of drop-web, in eu-west-1 and on the replica in the DR region (through
 * the repository creation template). Tags are commit SHAs, so "keep the last 100" keeps 100
 * rollback targets (runbook 4.3); untagged layers go after 7 days (runbook 3.2).
 */
export const imageLifecyclePolicy = {
  rules: [
    {
      rulePriority: 1,
      description: 'Untagged images (runbook 3.2) go after 7 days',
      selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
      action: { type: 'expire' },
    },
    {
      rulePriority: 2,
      description: 'Keep the last 100 images as rollback targets',
      selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 },
      action: { type: 'expire' },
    },
  ],
};
