import { useConsoleStore } from '../../state/store';
import { RoomDetailView } from './RoomDetailView';
import { RoomList } from './RoomList';

/** Rooms page: the list, or one room's detail when a room is open (`#/rooms/<id>`). */
export function RoomsScreen() {
  const roomId = useConsoleStore((s) => s.roomId);
  return roomId === null ? <RoomList /> : <RoomDetailView key={roomId} roomId={roomId} />;
}
