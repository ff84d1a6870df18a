import * as path from 'node:path';
import { publicLoadBalancer } from '../../server/cloud/publicLoadBalancer';
import { ingressWithoutTls } from '../../server/cloud/ingressWithoutTls';
import { clusterLayer } from '../../server/cluster';
import { defaultConfig, mergeConfig, type FourfoldConfig } from '../../server/engine/config';
import { Engine, initEngine } from '../../server/engine/engine';
import type { FileAnalysis, Rule } from '../../server/engine/types';

/** The rules this area owns: the cluster layer plus the two Kubernetes rules of the cloud layer. */
export const KUBERNETES_RULES: Rule[] = [...clusterLayer.rules, publicLoadBalancer, ingressWithoutTls];

/** The real engine, limited to the Kubernetes rules so other layers' findings do not blur exact-set assertions. */
export async function k8sEngine(config: Partial<FourfoldConfig> = {}): Promise<Engine> {
  await initEngine();
  return new Engine(mergeConfig(defaultConfig(), config), KUBERNETES_RULES);
}

export async function analyzeText(filePath: string, text: string, config: Partial<FourfoldConfig> = {}): Promise<FileAnalysis> {
  return (await k8sEngine(config)).analyze({ path: filePath, text });
}

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'cluster');
