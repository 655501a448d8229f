export { freePort, portAccepts } from './ports';
export { waitFor } from './wait';
export { spawnListening, startSignalingProcess, repoRoot, type ListeningProcess } from './listening-process';
