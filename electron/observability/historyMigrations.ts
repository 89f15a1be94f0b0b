/** Store tables of history, room timelines, quality points, usage minutes and alerts (issue 17). */
import type { Migration } from '../store/Database';

export const historyMigrations: Migration[] = [
  {
    id: 'history:001_tables',
    up(db) {
      db.exec(`
        CREATE TABLE history_sessions (
          id INTEGER PRIMARY KEY,
          user_id INTEGER NOT NULL,
          user_name TEXT NOT NULL,
          nick_name TEXT NOT NULL,
          login_at INTEGER NOT NULL,
          logout_at INTEGER NOT NULL,
          reason INTEGER NOT NULL,
          address TEXT NOT NULL,
          client TEXT NOT NULL
        );
        CREATE INDEX history_sessions_user ON history_sessions (user_id, login_at);
        CREATE INDEX history_sessions_login ON history_sessions (login_at);
        CREATE INDEX history_sessions_logout ON history_sessions (logout_at);
        CREATE TABLE history_rooms (
          id INTEGER PRIMARY KEY,
          room_id INTEGER NOT NULL,
          name TEXT NOT NULL,
          started_at INTEGER NOT NULL,
          ended_at INTEGER NOT NULL,
          peak_users INTEGER NOT NULL,
          -- ",1001,1002," so a member search is one LIKE
          members TEXT NOT NULL
        );
        CREATE INDEX history_rooms_room ON history_rooms (room_id, started_at);
        CREATE INDEX history_rooms_ended ON history_rooms (ended_at);
        CREATE TABLE history_calls (
          id INTEGER PRIMARY KEY,
          caller_id INTEGER NOT NULL,
          callee_id INTEGER NOT NULL,
          requested_at INTEGER NOT NULL,
          answered_at INTEGER,
          ended_at INTEGER NOT NULL,
          outcome TEXT NOT NULL,
          ended_by INTEGER NOT NULL,
          end_code INTEGER NOT NULL
        );
        CREATE INDEX history_calls_caller ON history_calls (caller_id, requested_at);
        CREATE INDEX history_calls_callee ON history_calls (callee_id, requested_at);
        CREATE INDEX history_calls_ended ON history_calls (ended_at);
        CREATE TABLE room_events (
          id INTEGER PRIMARY KEY,
          room_id INTEGER NOT NULL,
          at INTEGER NOT NULL,
          kind TEXT NOT NULL,
          user_id INTEGER NOT NULL,
          detail TEXT NOT NULL
        );
        CREATE INDEX room_events_room ON room_events (room_id, at);
        CREATE INDEX room_events_at ON room_events (at);
        CREATE TABLE quality_points (
          user_id INTEGER NOT NULL,
          at INTEGER NOT NULL,
          room_id INTEGER NOT NULL,
          bitrate_up INTEGER NOT NULL,
          bitrate_down INTEGER NOT NULL,
          loss REAL NOT NULL,
          rtt_ms REAL,
          jitter_ms REAL
        );
        CREATE INDEX quality_points_user ON quality_points (user_id, at);
        CREATE INDEX quality_points_room ON quality_points (room_id, at);
        CREATE INDEX quality_points_at ON quality_points (at);
        CREATE TABLE usage_minutes (
          minute INTEGER PRIMARY KEY,
          users INTEGER NOT NULL,
          rooms INTEGER NOT NULL,
          logins INTEGER NOT NULL
        );
        CREATE TABLE alerts (
          id INTEGER PRIMARY KEY,
          at INTEGER NOT NULL,
          rule TEXT NOT NULL,
          severity TEXT NOT NULL,
          title TEXT NOT NULL,
          detail TEXT NOT NULL,
          subject TEXT NOT NULL,
          acknowledged INTEGER NOT NULL DEFAULT 0
        );
      `);
    },
  },
];
