import { NS } from '../ns.js';
import type { StanzaContext, XmppModule, XmppModuleDeps } from '../module.js';

/**
 * Client state (realtime.md §11.2): Tigase mobile v2 `<mobile enable="true"/>` = inactive, `"false"` =
 * active (what the SDK sends), and XEP-0352 `<inactive/>` / `<active/>` nonzas with the same meaning.
 * The flag is `session.inactive` (chat alerts treat a user whose resources are all inactive as offline).
 * While inactive, presences and typing notifications are held back (only the latest per sender) and
 * sent on the switch to active; messages still flow (session.ts, held-while-inactive.ts).
 */
export const CLIENT_STATE_META = {
  id: 'xep-0352-csi',
  title: 'Client State Indication and Tigase mobile v2',
  spec: 'XEP-0352',
  version: '1.0.0',
  status: 'complete',
  notes: 'Also Tigase mobile v2 `<mobile enable/>`. While inactive: presences and typing held back (latest per sender), messages flow.',
} as const;

export function clientStateModule(deps: XmppModuleDeps): XmppModule {
  const { presence } = deps.services;
  /** The session's flag, and the presence directory's copy of it (chat alerts read it there). */
  async function setState(ctx: StanzaContext, inactive: boolean): Promise<void> {
    const { session } = ctx;
    session.setInactive(inactive);
    if (session.available) await presence.setInactive(session.appId, session.userId, session.id, inactive);
  }
  return {
    meta: { ...CLIENT_STATE_META },
    handlers: [
      {
        match: { kind: 'nonza', payload: NS.csi },
        async handle(ctx, element): Promise<'handled' | 'pass'> {
          if (element.name !== 'inactive' && element.name !== 'active') return 'pass';
          await setState(ctx, element.name === 'inactive');
          return 'handled';
        },
      },
      {
        match: { kind: 'iq', type: ['set'], to: ['none', 'self', 'server'], payload: NS.tigaseMobileV2, name: 'mobile' },
        async handle(ctx, iq): Promise<'handled'> {
          const enable = iq.getChild('mobile', NS.tigaseMobileV2)?.attrs.enable;
          if (enable !== 'true' && enable !== 'false') {
            ctx.bounce({ condition: 'bad-request', text: 'enable must be true or false' });
            return 'handled';
          }
          await setState(ctx, enable === 'true');
          ctx.result();
          return 'handled';
        },
      },
    ],
  };
}
