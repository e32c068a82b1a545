/**
 * Local stand-ins for Drop's third parties, for development and tests: BankID's OpenID Connect
 * provider, Sumsub, Wise, Norges Bank's rate API and AWS (RDS, App Runner, ECR). Each speaks its provider's real protocol, so
 * the real clients in @drop/integrations run against them unchanged. The server mounts the ones
 * configured (`config.simulators`, on by default outside production); production refuses them, in
 * `loadConfig` and again here.
 */
import type { DropConfig } from '@drop/config';
import type { FastifyInstance } from 'fastify';
import { type AwsStandInState, registerAwsStandIn } from './aws/index.ts';
import { registerBankIdTestProvider } from './bankid-test-provider/index.ts';
import type { SimulatorLogger } from './logger.ts';
import { registerNorgesBankSimulator } from './norges-bank-simulator/index.ts';
import { registerSumsubSimulator, type SumsubSimulator } from './sumsub-simulator/index.ts';
import { registerWiseSimulator, type WiseSimulator } from './wise-simulator/index.ts';

export {
  AWS_RUNBOOK_RESOURCES,
  type AwsStandInOptions,
  AwsStandInState,
  type RunningAwsStandIn,
  registerAwsStandIn,
  startAwsStandIn,
} from './aws/index.ts';
export {
  BANKID_METHODS,
  type BankIdMethod,
  registerBankIdTestProvider,
  TEST_PEOPLE,
  type TestPerson,
  testPerson,
} from './bankid-test-provider/index.ts';
export { registerNorgesBankSimulator } from './norges-bank-simulator/index.ts';
export { type Decision, registerSumsubSimulator, SimulatorError, type SumsubSimulator } from './sumsub-simulator/index.ts';
export { registerWiseSimulator, type WiseSimTransferView, type WiseSimulator } from './wise-simulator/index.ts';

/** The mounted simulators that tests and the server drive (the others need no handle). */
export interface MountedSimulators {
  sumsub: SumsubSimulator | undefined;
  wise: WiseSimulator | undefined;
  aws: AwsStandInState | undefined;
}

/**
 * Mounts each simulator `config.simulators` turns on, at the paths the configuration's defaults
 * point the real clients to: /test-bankid (the BankID issuer), /sumsub-sim (SUMSUB_BASE_URL's path),
 * /norges-bank-sim and /wise-sim. `listeningUrl` is where the server listens once it does (the Wise
 * simulator sends its webhooks there).
 */
export async function registerSimulators(
  app: FastifyInstance,
  options: { config: DropConfig; logger: SimulatorLogger; listeningUrl: () => string | undefined },
): Promise<MountedSimulators> {
  const { config, logger } = options;
  const on = config.simulators;
  if (config.isProduction && Object.values(on).some(Boolean)) {
    throw new Error('Simulators never run in production (loadConfig refuses them; this is a second lock).');
  }
  const publicUrl = config.http.publicUrl;
  if (on.bankidTestProvider) {
    await registerBankIdTestProvider(app, {
      issuer: config.bankid.issuer,
      clients: [
        {
          clientId: config.bankid.clientId,
          clientSecret: config.bankid.clientSecret,
          redirectUris: [`${publicUrl}/api/auth/bankid/callback`],
        },
      ],
    });
  }
  const sumsub = on.sumsubSimulator
    ? await registerSumsubSimulator(app, {
        mountPath: new URL(config.sumsub.baseUrl).pathname,
        appToken: config.sumsub.appToken,
        secretKey: config.sumsub.secretKey,
        webhookUrl: `${publicUrl}/api/webhooks/sumsub`,
        webhookSecret: config.sumsub.webhookSecret,
        returnUrl: `${publicUrl}/kyc`,
        logger,
      })
    : undefined;
  if (on.norgesBankSimulator) await registerNorgesBankSimulator(app, { prefix: '/norges-bank-sim' });
  const wise = on.payoutSimulator
    ? await registerWiseSimulator(app, {
        prefix: '/wise-sim',
        webhookUrl: () => `${options.listeningUrl() ?? publicUrl}/api/webhooks/wise`,
        autoOutcome: config.payouts.simulator.outcome,
        payDelayMs: config.payouts.simulator.delayMs,
        profileId: config.payouts.wise.profileId,
        logger,
      })
    : undefined;
  // The AWS stand-in (RDS, App Runner, ECR) for `drop aws …` with AWS_ENDPOINT_URL=<server>/aws-sim.
  const aws = on.awsSimulator ? await registerAwsStandIn(app, { prefix: '/aws-sim', logger }) : undefined;
  return { sumsub, wise, aws };
}
