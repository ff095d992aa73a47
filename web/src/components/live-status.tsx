import { t } from '../i18n';
import type { LiveSocket } from '../lib/live-socket';

/** The supervisor socket's state, announced politely when it changes. */
export function LiveStatus(props: { socket: LiveSocket }) {
  const text = () => {
    const s = props.socket.state();
    if (s === 'closed' && props.socket.closeInfo()?.code === 4401) return t('live.connection.ended');
    return t(`live.connection.${s}`);
  };
  return (
    <p class={`live-status ${props.socket.state()}`} role="status" data-testid="live-status">
      <span class="dot" aria-hidden="true" /> {text()}
    </p>
  );
}
