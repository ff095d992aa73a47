import { t } from '../i18n';
import type { CallStatus, TranscriptionStatus } from '../lib/types';

export function CallStatusBadge(props: { status: CallStatus }) {
  return <span class={`badge status-${props.status}`}>{t(`call.status.${props.status}`)}</span>;
}

export function TranscriptionBadge(props: { status: TranscriptionStatus; note?: string | null }) {
  return <span class={`badge tx-${props.status}`} title={props.note ?? undefined}>{t(`transcription.${props.status}`)}</span>;
}
