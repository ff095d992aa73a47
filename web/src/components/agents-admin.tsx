import { For } from 'solid-js';
import { t } from '../i18n';
import { createAction } from '../lib/action';
import { api } from '../lib/api';
import type { Agent, Team, User } from '../lib/types';
import { ActionStatus } from './action-status';
import { DataTable } from './data-table';

const orNull = (v: FormDataEntryValue | null) => (v ? String(v) : null);

/** Team and user choices for an agent form; `form` ties the selects of a table row to the row's form. */
function TeamSelect(props: { teams: readonly Team[]; value: string | null; label: string; form?: string }) {
  return (
    <select name="teamId" form={props.form} aria-label={props.label}>
      <option value="" selected={!props.value}>{t('admin.agents.noTeam')}</option>
      <For each={props.teams}>{(team) => <option value={team.id} selected={team.id === props.value}>{team.name}</option>}</For>
    </select>
  );
}

function UserSelect(props: { users: readonly User[]; value: string | null; label: string; form?: string }) {
  return (
    <select name="userId" form={props.form} aria-label={props.label}>
      <option value="" selected={!props.value}>{t('admin.agents.noUser')}</option>
      <For each={props.users}>{(u) => <option value={u.id} selected={u.id === props.value}>{u.displayName} ({u.username})</option>}</For>
    </select>
  );
}

/** Admin: the agents the phone platforms send — create one, assign its team, link its agent user. */
export function AgentsAdmin(props: { agents: readonly Agent[]; teams: readonly Team[]; agentUsers: readonly User[]; onChanged: () => Promise<void> }) {
  const action = createAction();

  const create = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    await action.run(async () => {
      const a = await api.admin.createAgent({
        externalId: String(data.get('externalId') ?? '').trim(),
        displayName: String(data.get('displayName') ?? '').trim() || undefined,
        teamId: orNull(data.get('teamId')),
        userId: orNull(data.get('userId')),
      });
      form.reset();
      await props.onChanged();
      return t('admin.agents.savedOk', { agent: a.displayName });
    });
  };

  const save = async (e: SubmitEvent, agent: Agent) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    await action.run(async () => {
      const a = await api.admin.updateAgent(agent.id, { teamId: orNull(data.get('teamId')), userId: orNull(data.get('userId')) });
      await props.onChanged();
      return t('admin.agents.savedOk', { agent: a.displayName });
    });
  };

  return (
    <section class="admin-section" aria-labelledby="agents-title">
      <h2 id="agents-title">{t('admin.agents.title')}</h2>
      <form class="card form-grid" onSubmit={(e) => void create(e)} aria-labelledby="new-agent-title">
        <h3 id="new-agent-title">{t('admin.agents.create')}</h3>
        <label class="field"><span>{t('admin.agents.externalId')}</span><input name="externalId" required maxlength="200" autocomplete="off" dir="ltr" /></label>
        <label class="field"><span>{t('admin.agents.displayName')}</span><input name="displayName" maxlength="200" autocomplete="off" /></label>
        <label class="field"><span>{t('admin.agents.team')}</span><TeamSelect teams={props.teams} value={null} label={t('admin.agents.team')} /></label>
        <label class="field"><span>{t('admin.agents.user')}</span><UserSelect users={props.agentUsers} value={null} label={t('admin.agents.user')} /></label>
        <div class="actions"><button type="submit" class="primary" disabled={action.busy()}>{t('common.create')}</button></div>
      </form>
      <ActionStatus action={action} testId="agents-status" />
      <DataTable
        testId="agents-table"
        rows={props.agents}
        rowAttrs={(a) => ({ 'data-agent': a.externalId })}
        empty={<p class="muted">{t('admin.agents.empty')}</p>}
        columns={[
          { label: t('admin.agents.externalId'), cell: (a) => a.externalId, dir: 'ltr', class: 'start mono' },
          { label: t('admin.agents.displayName'), cell: (a) => a.displayName },
          { label: t('admin.agents.team'), cell: (a) => <TeamSelect teams={props.teams} value={a.teamId} form={`agent-${a.id}`} label={t('admin.agents.teamOf', { agent: a.displayName })} /> },
          { label: t('admin.agents.user'), cell: (a) => <UserSelect users={props.agentUsers} value={a.userId} form={`agent-${a.id}`} label={t('admin.agents.userOf', { agent: a.displayName })} /> },
          {
            label: t('admin.agents.save'),
            labelHidden: true,
            cell: (a) => (
              <form id={`agent-${a.id}`} onSubmit={(e) => void save(e, a)}>
                <button type="submit" aria-label={t('admin.agents.saveFor', { agent: a.displayName })} disabled={action.busy()}>{t('admin.agents.save')}</button>
              </form>
            ),
          },
        ]}
      />
    </section>
  );
}
