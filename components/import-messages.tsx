// An import's errors and warnings, each naming its place ("row 12, column cpt: …"), folded
// under a count: the upload's answer and the import history show them the same way.

export interface ImportMessage {
  where: string;
  message: string;
}

export function ImportMessages({
  errors,
  warnings,
  limit,
  errorsOpen = false,
}: {
  errors: readonly ImportMessage[] | undefined;
  warnings: readonly ImportMessage[] | undefined;
  /** how many of each are listed */
  limit: number;
  errorsOpen?: boolean;
}) {
  return (
    <>
      {errors?.length ? (
        <details open={errorsOpen}>
          <summary className="field-error">{errors.length} error(s): nothing was written</summary>
          <MessageList messages={errors} limit={limit} />
        </details>
      ) : null}
      {warnings?.length ? (
        <details>
          <summary className="text-amber-700">{warnings.length} warning(s)</summary>
          <MessageList messages={warnings} limit={limit} />
        </details>
      ) : null}
    </>
  );
}

function MessageList({ messages, limit }: { messages: readonly ImportMessage[]; limit: number }) {
  return (
    <ul className="ml-4 list-disc">
      {messages.slice(0, limit).map((m, i) => (
        <li key={i}>
          <span className="font-mono">{m.where}</span>: {m.message}
        </li>
      ))}
    </ul>
  );
}
