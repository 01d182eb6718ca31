// The server actions of one KX queue item, as the KX queue's rows and the patient's threshold
// page both hand them to KxItemActions: one set, so the two places offer the same actions.
import { addKx, assignItem, markDocReviewed, recordAbnAction, reopenItem, resolveItem, snoozeItem, undoLastAction } from "./actions";

export const KX_ITEM_ACTIONS = {
  addKx,
  recordAbn: recordAbnAction,
  markDocReviewed,
  assign: assignItem,
  snooze: snoozeItem,
  resolve: resolveItem,
  reopen: reopenItem,
  undo: undoLastAction,
};
