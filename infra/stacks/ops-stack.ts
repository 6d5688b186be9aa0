/**
 * Operations: an alarm topic, an alarm per dead-letter queue (a message there is a request no
 * centre could handle, or a chunk of a job that failed every retry), an alarm on the age of each inbox's oldest message (a stalled worker), an
 * alarm on each function's errors, an alarm on API server errors, and one dashboard.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  Stats,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { CITY_CODES, type CityCode } from '../../shared/config/cities.js';
import { BUSINESS_METRICS, METRICS_NAMESPACE } from '../../shared/observability/metrics.js';
import type { HpfFunction } from '../constructs/hpf-function.js';
import type { CentreQueues } from './stateful-stack.js';
import type { JobQueues } from './workers-stack.js';

export interface OpsStackProps extends StackProps {
  prefix: string;
  queues: Readonly<Record<CityCode, CentreQueues>>;
  /** The work and dead-letter queues of the jobs that fan out, by job id. */
  jobQueues?: ReadonlyMap<string, JobQueues>;
  /** Every function of the app, by a readable id. */
  functions: ReadonlyMap<string, HpfFunction>;
  api: HttpApi;
}

/** An inbox message older than this means its worker is not keeping up (or not running). */
export const INBOX_AGE_ALARM_SECONDS = 15 * 60;

export class OpsStack extends Stack {
  readonly alarmTopic: Topic;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OpsStackProps) {
    super(scope, id, props);

    const topicKey = new Key(this, 'AlarmTopicKey', {
      description: 'Huaihai HPF Hub: encryption of the alarm topic',
      enableKeyRotation: true,
    });
    // CloudWatch publishes alarm notifications to the encrypted topic with this key.
    topicKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      topicName: `${props.prefix}alarms`,
      displayName: 'Huaihai HPF Hub alarms',
      masterKey: topicKey,
      enforceSSL: true,
    });
    this.alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    const action = new SnsAction(this.alarmTopic);

    const dlqMetrics: IMetric[] = [];
    const inboxAgeMetrics: IMetric[] = [];
    for (const city of CITY_CODES) {
      const { inbox, deadLetter } = props.queues[city];
      const dlqVisible = deadLetter.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: Stats.MAXIMUM,
      });
      dlqMetrics.push(dlqVisible.with({ label: city }));
      new Alarm(this, `DeadLetterAlarm${city}`, {
        alarmName: `${props.prefix}inbox-${city}-dlq-not-empty`,
        alarmDescription: `Messages in the dead-letter queue of centre ${city}: requests its worker could not handle.`,
        metric: dlqVisible,
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(action);

      const oldest = inbox.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: Stats.MAXIMUM,
      });
      inboxAgeMetrics.push(oldest.with({ label: city }));
      new Alarm(this, `InboxAgeAlarm${city}`, {
        alarmName: `${props.prefix}inbox-${city}-stalled`,
        alarmDescription: `The oldest message in the inbox of centre ${city} is older than ${INBOX_AGE_ALARM_SECONDS / 60} minutes.`,
        metric: oldest,
        threshold: INBOX_AGE_ALARM_SECONDS,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(action);
    }

    // A chunk in a job's DLQ is a part of the run that failed every retry: redrive it once fixed.
    for (const [jobId, { deadLetter }] of props.jobQueues ?? new Map<string, JobQueues>()) {
      const dlqVisible = deadLetter.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: Stats.MAXIMUM,
      });
      dlqMetrics.push(dlqVisible.with({ label: `job ${jobId}` }));
      new Alarm(this, `JobDeadLetterAlarm-${jobId}`, {
        alarmName: `${props.prefix}job-${jobId}-dlq-not-empty`,
        alarmDescription: `Chunks of job ${jobId} in its dead-letter queue: parts of a run that failed every retry (npm run redrive -- --job ${jobId}).`,
        metric: dlqVisible,
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(action);
    }

    const errorMetrics: IMetric[] = [];
    const durationMetrics: IMetric[] = [];
    for (const [name, fn] of props.functions) {
      const errors = fn.fn.metricErrors({ period: Duration.minutes(5), statistic: Stats.SUM });
      errorMetrics.push(errors.with({ label: name }));
      durationMetrics.push(
        fn.fn.metricDuration({ period: Duration.minutes(5), statistic: Stats.p(99), label: name }),
      );
      new Alarm(this, `ErrorsAlarm-${name}`, {
        alarmName: `${props.prefix}${name}-errors`,
        alarmDescription: `Function ${name} failed (an error or a timeout) in the last 5 minutes.`,
        metric: errors,
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(action);
    }

    const serverErrors = props.api.metricServerError({ period: Duration.minutes(5), statistic: Stats.SUM });
    new Alarm(this, 'ApiServerErrorsAlarm', {
      alarmName: `${props.prefix}api-5xx`,
      alarmDescription: 'The HTTP API answered with server errors (5xx) in the last 5 minutes.',
      metric: serverErrors,
      threshold: 5,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(action);

    // Business alarms: forged or guessed certificate codes, and applications past their committed time.
    const certificates = BUSINESS_METRICS.certificateVerificationFailed;
    new Alarm(this, 'CertificateVerificationFailuresAlarm', {
      alarmName: `${props.prefix}${certificates.name}`,
      alarmDescription:
        'More than 20 certificate look-ups with unknown codes in 5 minutes: someone may be guessing codes.',
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: certificates.name,
        dimensionsMap: { service: certificates.service },
        period: Duration.minutes(5),
        statistic: Stats.SUM,
      }),
      threshold: 20,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(action);
    // Each centre's chunk of the committed-time sweep publishes its own count (city dimension); the
    // alarm adds the ten (Maximum per hour: a chunk retried after publishing counts once).
    const overdue = BUSINESS_METRICS.overdueApplications;
    const overdueByCity = Object.fromEntries(
      CITY_CODES.map((city) => [
        `c${city}`,
        new Metric({
          namespace: METRICS_NAMESPACE,
          metricName: overdue.name,
          dimensionsMap: { service: overdue.service, city },
          period: Duration.hours(1),
          statistic: Stats.MAXIMUM,
        }),
      ]),
    );
    new Alarm(this, 'OverdueApplicationsAlarm', {
      alarmName: `${props.prefix}${overdue.name}`,
      alarmDescription:
        'Applications are open past their committed deadline (承诺办结时限); see the staff work queues (the metric by city says which centre).',
      metric: new MathExpression({
        expression: `SUM([${Object.keys(overdueByCity).join(', ')}])`,
        usingMetrics: overdueByCity,
        label: 'overdue applications, all centres',
        period: Duration.hours(1),
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(action);

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${props.prefix}hub`,
      widgets: [
        [
          new TextWidget({
            markdown: '# Huaihai HPF Hub\nInter-centre inboxes, functions and the public API.',
            width: 24,
            height: 2,
          }),
        ],
        [
          new GraphWidget({ title: 'Dead-letter queues: messages visible', left: dlqMetrics, width: 12 }),
          new GraphWidget({ title: 'Inboxes: age of oldest message (s)', left: inboxAgeMetrics, width: 12 }),
        ],
        [
          new GraphWidget({ title: 'Function errors (5 min)', left: errorMetrics, width: 12 }),
          new GraphWidget({ title: 'Function duration p99 (ms)', left: durationMetrics, width: 12 }),
        ],
        [
          new GraphWidget({
            title: 'API requests and errors',
            left: [
              props.api.metricCount({ period: Duration.minutes(5), statistic: Stats.SUM }),
              props.api.metricClientError({ period: Duration.minutes(5), statistic: Stats.SUM }),
              serverErrors,
            ],
            width: 12,
          }),
          new GraphWidget({
            title: 'API latency p99 (ms)',
            left: [props.api.metricLatency({ period: Duration.minutes(5), statistic: Stats.p(99) })],
            width: 12,
          }),
        ],
      ],
    });
  }
}
