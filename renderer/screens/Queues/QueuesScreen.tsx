import { memo, useMemo } from 'react';
import { formatDuration } from '../../components/format';
import { TitledTable } from '../../components/TitledTable';
import { useNow } from '../../components/useNow';
import { useT } from '../../i18n/useT';
import { agentStatusName, type QueueArea } from '../../state/queuesSlice';
import { useAgentServing, useQueue, useQueueAgent, useQueueAgentIds, useQueueGuids, useQueueNames, useQueuesEmpty } from '../../state/selectors';
import { useConsoleStore } from '../../state/store';
import type { QueueObjectView } from '../../../shared/ipc/contract';

/**
 * Smart queueing: service areas with counts, queues with their waiting customers (live wait
 * time), agents with their status and the customer they serve, skills and queue groups.
 * Live from `queues:changed` (the slice re-reads the snapshot).
 */
export function QueuesScreen() {
  const t = useT();
  const loaded = useConsoleStore((s) => s.queuesLoaded);
  const empty = useQueuesEmpty();
  if (!loaded) return <p className="muted">{t('common.loading')}</p>;
  return (
    <section className="stack">
      {empty && <p className="muted">{t('queues.empty')}</p>}
      <Areas />
      <Queues />
      <Agents />
      <div className="two-col">
        <ObjectList titleKey="queues.skills" testId="skill" select={(s) => s.queueSkills} />
        <ObjectList titleKey="queues.groups" testId="queue-group" select={(s) => s.queueGroups} groups />
      </div>
    </section>
  );
}

/** `areas` by objectid, for naming a queue's area and an agent's area. */
function useAreaName(): (match: (a: QueueArea) => boolean) => string {
  const areas = useConsoleStore((s) => s.queueAreas);
  return useMemo(() => (match) => areas.find(match)?.name ?? '—', [areas]);
}

function Areas() {
  const t = useT();
  const areas = useConsoleStore((s) => s.queueAreas);
  return (
    <TitledTable
      id="q-areas"
      title={t('queues.areas')}
      headers={[t('queues.id'), t('queues.name'), t('queues.agentCount'), t('queues.guestCount'), t('queues.queuedCount'), t('queues.description')]}
      empty={areas.length === 0}
    >
      {areas.map((a) => (
        <tr key={a.objectguid} data-testid={`area-${a.objectguid}`} data-object-id={a.objectid}>
          <td>{a.objectid}</td>
          <td>{a.name}</td>
          <td data-testid={`area-agents-${a.objectguid}`}>{a.agentCount}</td>
          <td data-testid={`area-guests-${a.objectguid}`}>{a.guestCount}</td>
          <td data-testid={`area-queued-${a.objectguid}`}>{a.queuedCount}</td>
          <td className="muted">{a.description || '—'}</td>
        </tr>
      ))}
    </TitledTable>
  );
}

function Queues() {
  const t = useT();
  const guids = useQueueGuids();
  return (
    <TitledTable
      id="q-queues"
      title={t('queues.queues')}
      headers={[t('queues.id'), t('queues.name'), t('queues.area'), t('queues.priority'), t('queues.requiredSkills'), t('queues.waiting')]}
      empty={guids.length === 0}
    >
      {guids.map((g) => (
        <QueueRow key={g} guid={g} />
      ))}
    </TitledTable>
  );
}

const QueueRow = memo(function QueueRow({ guid }: { guid: string }) {
  const t = useT();
  const q = useQueue(guid);
  const areaName = useAreaName();
  const now = useNow();
  if (!q) return null;
  return (
    <tr data-testid={`queue-${guid}`} data-object-id={q.objectid} data-waiting={q.waiting.length}>
      <td>{q.objectid}</td>
      <td>{q.name}</td>
      <td>{areaName((a) => a.objectid === q.parentobjectid)}</td>
      <td>{q.priority}</td>
      <td>{q.skillgroups.length ? q.skillgroups.join(', ') : '—'}</td>
      <td>
        {q.waiting.length === 0 ? (
          <span className="muted">{t('queues.noWaiting')}</span>
        ) : (
          <ol className="plain">
            {q.waiting.map((w) => (
              <li key={w.userId} data-testid={`waiting-${w.userId}`}>
                {w.userName} ({w.userId}){' '}
                <span className="tag" data-testid={`waiting-time-${w.userId}`}>
                  {formatDuration((now - w.waitingSinceMs) / 1000)}
                </span>
              </li>
            ))}
          </ol>
        )}
      </td>
    </tr>
  );
});

function Agents() {
  const t = useT();
  const ids = useQueueAgentIds();
  return (
    <TitledTable
      id="q-agents"
      title={t('queues.agents')}
      headers={[t('queues.agent'), t('queues.status'), t('queues.inStatus'), t('queues.area'), t('queues.skills'), t('queues.serving')]}
      empty={ids.length === 0}
    >
      {ids.map((id) => (
        <AgentRow key={id} userId={id} />
      ))}
    </TitledTable>
  );
}

const AgentRow = memo(function AgentRow({ userId }: { userId: number }) {
  const t = useT();
  const a = useQueueAgent(userId);
  const serving = useAgentServing(userId);
  const areaName = useAreaName();
  const now = useNow();
  if (!a) return null;
  const status = agentStatusName(a.status);
  return (
    <tr data-testid={`agent-${userId}`} data-status={a.status}>
      <td>
        {a.userName} ({userId})
      </td>
      <td>
        <span className={`badge s-${status}`} data-testid={`agent-status-${userId}`}>
          {t(`queues.status.${status}`)}
        </span>
      </td>
      <td>{formatDuration((now - a.statusSince) / 1000)}</td>
      <td>{a.areaGuid ? areaName((x) => x.objectguid === a.areaGuid) : '—'}</td>
      <td>{a.skillgroups.length ? a.skillgroups.join(', ') : '—'}</td>
      <td data-testid={`agent-serving-${userId}`}>{serving ?? '—'}</td>
    </tr>
  );
});

function ObjectList({
  titleKey,
  testId,
  select,
  groups,
}: {
  titleKey: 'queues.skills' | 'queues.groups';
  testId: string;
  select: (s: ReturnType<typeof useConsoleStore.getState>) => QueueObjectView[];
  groups?: boolean;
}) {
  const t = useT();
  const list = useConsoleStore(select);
  const queueName = useQueueNames();
  return (
    <TitledTable
      title={t(titleKey)}
      headers={[t('queues.id'), t('queues.name'), groups ? t('queues.groupQueues') : t('queues.description')]}
      empty={list.length === 0}
    >
      {list.map((o) => (
        <tr key={o.objectguid} data-testid={`${testId}-${o.objectguid}`}>
          <td>{o.objectid}</td>
          <td>{o.name}</td>
          <td>{groups ? o.queuegroups.map((id) => queueName[id] ?? id).join(', ') || '—' : o.description || '—'}</td>
        </tr>
      ))}
    </TitledTable>
  );
}
