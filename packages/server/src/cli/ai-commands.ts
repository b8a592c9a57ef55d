import type { Command } from 'commander';
import { decodeAiSettings } from '../http/decoders/ai.js';
import { aiSettingsWire } from '../http/routes/admin-ai.js';
import type { WithServices } from './data-commands.js';

function describe(wire: ReturnType<typeof aiSettingsWire>): string {
  const provider = wire.provider ?? 'none';
  const parts = [`source=${wire.source}`, `provider=${provider}`];
  if (wire.model) parts.push(`model=${wire.model}`);
  if (wire.base_url) parts.push(`base_url=${wire.base_url}`);
  parts.push(`api_key=${wire.api_key ?? '(none)'}${wire.api_key_encrypted ? ' (encrypted)' : ''}`);
  parts.push(`user_requests_per_minute=${wire.user_requests_per_minute}`, `app_requests_per_day=${wire.app_requests_per_day}`);
  return parts.join(' ');
}

const limit = (text: string | undefined): number | null | undefined => (text === undefined ? undefined : text === 'default' ? null : Number(text));

/** `parley ai show|set|clear`: an app's AI provider (docs/ai.md); keys are shown only as their last characters. */
export function registerAiCommands(program: Command, withServices: WithServices, print: (value: unknown) => void): void {
  const ai = program.command('ai').description("an application's AI provider for chat summaries and tone rewrites");

  ai.command('show')
    .requiredOption('--app <id>', 'application id')
    .option('--json', 'print JSON')
    .action(async (options: { app: string; json?: boolean }) => {
      const wire = aiSettingsWire(await withServices((services) => services.aiSettings.show(Number(options.app))));
      print(options.json ? wire : describe(wire));
    });

  ai.command('set')
    .description('give the application its own provider (none = AI off for it); --api-key is stored sealed when PARLEY_AI_SECRET is set')
    .requiredOption('--app <id>', 'application id')
    .requiredOption('--provider <name>', 'google, openai-compatible or none')
    .option('--model <model>', 'model name (google default: gemini-2.5-flash)')
    .option('--api-key <key>', 'provider API key ("" removes it; omitted keeps the stored one)')
    .option('--base-url <url>', 'provider base URL (required for openai-compatible)')
    .option('--user-requests-per-minute <n>', 'per-user rate limit, or "default"')
    .option('--app-requests-per-day <n>', 'per-app daily quota, or "default"')
    .option('--json', 'print JSON')
    .action(async (options: { app: string; provider: string; model?: string; apiKey?: string; baseUrl?: string; userRequestsPerMinute?: string; appRequestsPerDay?: string; json?: boolean }) => {
      const body = {
        provider: options.provider,
        model: options.model,
        api_key: options.apiKey,
        base_url: options.baseUrl,
        user_requests_per_minute: limit(options.userRequestsPerMinute),
        app_requests_per_day: limit(options.appRequestsPerDay),
      };
      const wire = aiSettingsWire(await withServices((services) => services.aiSettings.set(Number(options.app), decodeAiSettings(body))));
      print(options.json ? wire : describe(wire));
    });

  ai.command('clear')
    .description("drop the application's own provider: the server default applies again")
    .requiredOption('--app <id>', 'application id')
    .action(async (options: { app: string }) => {
      await withServices((services) => services.aiSettings.clear(Number(options.app)));
      print(`application ${options.app} uses the server's AI settings`);
    });
}
