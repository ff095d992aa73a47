import { createResource, For, Show } from 'solid-js';
import { ActionStatus } from '../components/action-status';
import { AgentsAdmin } from '../components/agents-admin';
import { DataTable } from '../components/data-table';
import { LoadError } from '../components/load-error';
import { t } from '../i18n';
import { createAction } from '../lib/action';
import { api } from '../lib/api';
import { usePageTitle } from '../lib/page-title';
import type { Team, TeamSupervisor } from '../lib/types';

/** Admin: teams with their supervisors and agents; create teams, add and remove supervisors; agents below. */
export default function AdminTeamsPage() {
  usePageTitle(() => t('admin.teams.title'));
  const [teams, { refetch: refetchTeams }] = createResource(() => api.admin.teams());
  const [agents, { refetch: refetchAgents }] = createResource(() => api.admin.agents());
  const [users] = createResource(() => api.admin.users());
  const action = createAction();
  const supervisors = () => (users()?.items ?? []).filter((u) => u.role === 'supervisor' && !u.disabled);
  const agentsOf = (team: Team) => (agents()?.items ?? []).filter((a) => a.teamId === team.id);

  const create = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const name = String(new FormData(form).get('name') ?? '').trim();
    await action.run(async () => {
      const team = await api.admin.createTeam(name);
      form.reset();
      await refetchTeams();
      return t('admin.teams.createdOk', { name: team.name });
    });
  };

  const addSupervisor = async (e: SubmitEvent, team: Team) => {
    e.preventDefault();
    const userId = String(new FormData(e.currentTarget as HTMLFormElement).get('userId') ?? '');
    if (!userId) return;
    await action.run(async () => {
      await api.admin.addSupervisor(team.id, userId);
      await refetchTeams();
      return undefined;
    });
  };

  const removeSupervisor = (team: Team, s: TeamSupervisor) => action.run(async () => {
    await api.admin.removeSupervisor(team.id, s.id);
    await refetchTeams();
    return undefined;
  });

  return (
    <section class="page" data-testid="admin-teams-page">
      <h1>{t('admin.teams.title')}</h1>
      <form class="card form-grid" onSubmit={(e) => void create(e)} aria-labelledby="new-team-title">
        <h2 id="new-team-title">{t('admin.teams.create')}</h2>
        <label class="field"><span>{t('admin.teams.name')}</span><input name="name" required maxlength="100" autocomplete="off" /></label>
        <div class="actions"><button type="submit" class="primary" disabled={action.busy()}>{t('common.create')}</button></div>
      </form>
      <ActionStatus action={action} testId="teams-status" />
      <Show when={teams.error}>{(err) => <LoadError error={err()} retry={() => void refetchTeams()} />}</Show>
      <Show when={teams.error ? undefined : teams()}>
        {(list) => (
          <DataTable
            testId="teams-table"
            rows={list().items}
            rowAttrs={(team) => ({ 'data-team': team.name })}
            empty={<p class="muted">{t('admin.teams.empty')}</p>}
            columns={[
              { label: t('admin.teams.col.team'), cell: (team) => <strong>{team.name}</strong> },
              {
                label: t('admin.teams.col.supervisors'),
                cell: (team) => (
                  <Show when={team.supervisors.length > 0} fallback={<span class="muted">{t('admin.teams.noSupervisor')}</span>}>
                    <ul class="chips" data-testid="team-supervisors">
                      <For each={team.supervisors}>
                        {(s) => (
                          <li data-username={s.username}>
                            <span>{s.displayName}</span>
                            <button type="button" class="linkish" aria-label={t('admin.teams.removeFrom', { name: s.displayName, team: team.name })}
                              disabled={action.busy()} onClick={() => void removeSupervisor(team, s)}>
                              {t('admin.teams.remove')}
                            </button>
                          </li>
                        )}
                      </For>
                    </ul>
                  </Show>
                ),
              },
              {
                label: t('admin.teams.col.agents'),
                cell: (team) => (
                  <Show when={agentsOf(team).length > 0} fallback={<span class="muted">{t('admin.teams.noAgents')}</span>}>
                    <span data-testid="team-agents">{agentsOf(team).map((a) => a.displayName).join(', ')}</span>
                  </Show>
                ),
              },
              {
                label: t('admin.teams.col.add'),
                cell: (team) => (
                  <form class="row" onSubmit={(e) => void addSupervisor(e, team)}>
                    <select name="userId" required aria-label={t('admin.teams.supervisorFor', { team: team.name })}>
                      <option value="">{t('admin.teams.choose')}</option>
                      <For each={supervisors().filter((u) => !team.supervisors.some((s) => s.id === u.id))}>
                        {(u) => <option value={u.id}>{u.displayName} ({u.username})</option>}
                      </For>
                    </select>
                    <button type="submit" aria-label={t('admin.teams.addTo', { team: team.name })} disabled={action.busy()}>{t('admin.teams.add')}</button>
                  </form>
                ),
              },
            ]}
          />
        )}
      </Show>
      <Show when={agents.error}>{(err) => <LoadError error={err()} retry={() => void refetchAgents()} />}</Show>
      <Show when={!agents.error && agents() && teams() && users()}>
        <AgentsAdmin
          agents={agents()?.items ?? []}
          teams={teams()?.items ?? []}
          agentUsers={(users()?.items ?? []).filter((u) => u.role === 'agent')}
          onChanged={async () => { await Promise.all([refetchAgents(), refetchTeams()]); }}
        />
      </Show>
    </section>
  );
}
