/**
 * CloudWatch alarms for what the runbooks watch, all notifying the SNS topic drop-alerts:
 * - drop-db free storage below 2 GB (operational runbook 3.2),
 * - drop-web 5xx responses (DR scenario 1 "5xx errors", runbook 8.1 "Error spike"),
 * - drop-db read and write latency above 100 ms (runbook 9's database latency limit).
 *
 * The topic is KMS-encrypted with a key CloudWatch may use. Slack (#drop-ops) subscribes through
 * AWS Chatbot, which needs a one-time Slack authorisation in the console (README).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { names } from './names.ts';

/** Runbook 3.2: alert below 2 GB free (the metric is in bytes). */
export const freeStorageThresholdBytes = 2 * 1024 ** 3;
/** Runbook 9: database latency above 100 ms (the metrics are in seconds). */
export const latencyThresholdSeconds = 0.1;
/** 5xx responses in five minutes that count as an error spike. */
export const serverErrorThreshold = 10;

export class Alarms extends Construct {
  readonly topic: sns.Topic;
  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, props: { database: rds.DatabaseInstance; alarmEmail: string | undefined }) {
    super(scope, id);

    const key = new kms.Key(this, 'TopicKey', {
      alias: `alias/${names.alarmTopic}`,
      description: 'Encrypts the drop-alerts topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch publishes alarms to an encrypted topic only with a customer managed key it may use.
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');

    this.topic = new sns.Topic(this, 'Topic', {
      topicName: names.alarmTopic,
      displayName: 'Drop alerts',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.action = new actions.SnsAction(this.topic);

    const database = props.database;
    this.notify(
      new cloudwatch.Alarm(this, 'FreeStorage', {
        alarmName: `${names.database}-free-storage-low`,
        alarmDescription: 'drop-db has less than 2 GB free storage (operational runbook 3.2). Storage autoscaling may be at its limit.',
        metric: database.metricFreeStorageSpace({ statistic: cloudwatch.Stats.MINIMUM, period: Duration.minutes(5) }),
        threshold: freeStorageThresholdBytes,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
      }),
    );
    for (const [direction, metric] of [
      ['read', database.metric('ReadLatency', { statistic: cloudwatch.Stats.AVERAGE, period: Duration.minutes(5) })],
      ['write', database.metric('WriteLatency', { statistic: cloudwatch.Stats.AVERAGE, period: Duration.minutes(5) })],
    ] as const) {
      this.notify(
        new cloudwatch.Alarm(this, direction === 'read' ? 'ReadLatency' : 'WriteLatency', {
          alarmName: `${names.database}-${direction}-latency-high`,
          alarmDescription: `drop-db ${direction} latency above 100 ms for 10 minutes (operational runbook 9).`,
          metric,
          threshold: latencyThresholdSeconds,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 2,
          treatMissingData: cloudwatch.TreatMissingData.MISSING,
        }),
      );
    }
  }

  /** The 5xx alarm needs the App Runner service's id (its metrics carry ServiceName and ServiceID). */
  addServerErrors(serviceId: string): cloudwatch.Alarm {
    return this.notify(
      new cloudwatch.Alarm(this, 'ServerErrors', {
        alarmName: `${names.service}-5xx`,
        alarmDescription: 'drop-web answered 10 or more 5xx responses in 5 minutes (DR scenario 1, runbook 8.1 "Error spike").',
        metric: new cloudwatch.Metric({
          namespace: 'AWS/AppRunner',
          metricName: '5xxStatusResponses',
          dimensionsMap: { ServiceName: names.service, ServiceID: serviceId },
          statistic: cloudwatch.Stats.SUM,
          period: Duration.minutes(5),
        }),
        threshold: serverErrorThreshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        // No requests, no datapoints: quiet is not an error.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  private notify(alarm: cloudwatch.Alarm): cloudwatch.Alarm {
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    return alarm;
  }
}
