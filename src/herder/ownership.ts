import type { TaskId } from '../cluster/connect-protocol.ts'

/**
 * Which connectors and tasks this worker runs and whether it may write configs: the herder asks this before it
 * starts anything or writes to the config topic. In a cluster the group's assignment answers; `SOLE_OWNER` owns
 * everything, for a herder used without a group (its unit tests).
 */
export interface Ownership {
  isLeader(): boolean
  ownsConnector(connector: string): boolean
  ownsTask(task: TaskId): boolean
  /**
   * Resolves when this worker is the leader; rejects with NotLeaderError (to forward the request), or with
   * RebalanceInProgressError when a rebalance does not end within a short wait.
   */
  requireLeader(): Promise<void>
  /** The URL of the worker running `task`, when the leader knows it; null otherwise. */
  ownerUrlOf(task: TaskId): string | null
}

export const SOLE_OWNER: Ownership = Object.freeze({
  isLeader: () => true,
  ownsConnector: () => true,
  ownsTask: () => true,
  requireLeader: async () => {},
  ownerUrlOf: () => null,
})
