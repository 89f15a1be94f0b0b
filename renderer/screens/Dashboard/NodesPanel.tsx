import { useEffect, useState } from 'react';
import type { ClusterNodeView } from '../../../shared/ipc/types';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';

const REFRESH_MS = 2000;

/**
 * A cluster's nodes (docs/cluster.md): status, users, rooms and media load of each, polled (a
 * handful of rows). Hidden on a single host, where `cluster:nodes` is empty.
 */
export function NodesPanel() {
  const t = useT();
  const client = useConsoleStore((s) => s.client);
  const [nodes, setNodes] = useState<ClusterNodeView[]>([]);
  useEffect(() => {
    if (!client) return;
    let live = true;
    const load = () =>
      void client.call('cluster:nodes', {}).then((r) => {
        if (live && r.ok) setNodes(r.value);
      });
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [client]);
  if (nodes.length === 0) return null;
  return (
    <div data-testid="nodes-panel">
      <h2>{t('nodes.title')}</h2>
      <table className="grid">
        <thead>
          <tr>
            <th>{t('nodes.node')}</th>
            <th>{t('dashboard.state')}</th>
            <th>{t('nodes.users')}</th>
            <th>{t('nodes.rooms')}</th>
            <th>{t('nodes.mediaLoad')}</th>
            <th>{t('nodes.url')}</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((n) => (
            <tr key={n.nodeId} data-testid={`node-row-${n.nodeId}`} data-status={n.status}>
              <td>
                {n.nodeId} {n.self && <span className="tag">{t('nodes.self')}</span>}
              </td>
              <td className={`state-${n.status}`}>{t(`state.${n.status}`)}</td>
              <td data-testid={`node-users-${n.nodeId}`}>{n.users}</td>
              <td>{n.rooms}</td>
              <td>{n.mediaLoad}</td>
              <td>{n.url}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
